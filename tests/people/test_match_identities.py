"""The match_identities contract: record_id,cluster_id for every row, in order; bad rows
reported on stderr and left on their own; --strict refuses the file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

HEADER = (
    "record_id,given_names,family_name,name_original_script,date_of_birth,sex,nationality,"
    "place_of_birth,document_number"
)


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "in.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def run(path: Path, tmp_path: Path, *extra: str) -> tuple[list[list[str]], str]:
    out = tmp_path / "out.csv"
    stderr = io.StringIO()
    call_command(
        "match_identities",
        "--input",
        str(path),
        "--output",
        str(out),
        *extra,
        stdout=io.StringIO(),
        stderr=stderr,
    )
    with out.open(encoding="utf-8") as stream:
        return list(csv.reader(stream)), stderr.getvalue()


GOOD = [
    "A1,Mohammed,Hosseini,محمد حسيني,1990-03-14,M,SYR,Aleppo,N1234567",
    "B2,Fatima,Yousef,,1985-07-02,F,ERI,Asmara,",
    "A3,Muhammad,Husseini,,1990-03-14,M,SYR,Halab,N1234567",
    "C4,Oleksandr,Kovalenko,Олександр Коваленко,1979-11-30,M,UKR,Kharkiv,",
    "A5,Husseini,Mohamad,,1990-01-01,M,SYR,,",
]


def test_one_row_per_input_row_in_input_order(tmp_path):
    rows, stderr = run(write(tmp_path, *GOOD), tmp_path)
    assert rows[0] == ["record_id", "cluster_id"]
    assert [row[0] for row in rows[1:]] == ["A1", "B2", "A3", "C4", "A5"]
    clusters = dict(rows[1:])
    assert clusters["A1"] == clusters["A3"]  # same document, date and name in another spelling
    assert clusters["B2"] != clusters["A1"]
    assert clusters["C4"] not in {clusters["A1"], clusters["B2"]}
    assert stderr == ""


def test_bad_rows_are_reported_and_come_out_alone(tmp_path):
    path = write(
        tmp_path,
        *GOOD,
        ",Nobody,Without Id,,1990-01-01,M,SYR,,",
        "A1,Mohammed,Hosseini,,1990-03-14,M,SYR,,N1234567",
        "D6,Yonas,Tesfay,,1994-02-30,M,ERI,,",
        "D7,Yonas,Tesfay,,1994-02-03,M,XXX,,",
    )
    rows, stderr = run(path, tmp_path)
    assert len(rows) == 1 + len(GOOD) + 4
    assert [row[0] for row in rows[-4:]] == ["", "A1", "D6", "D7"]
    lonely = [row[1] for row in rows[-4:]]
    assert len(set(lonely)) == 4
    assert all(cluster.startswith("unmatched-line-") for cluster in lonely)
    messages = stderr.strip().splitlines()
    assert "line 7, a record with no record_id: record_id is missing" in messages
    assert (
        "line 8, record 'A1': record_id appears more than once; only its first row is matched"
        in messages
    )
    assert any(
        "record 'D6': date_of_birth '1994-02-30' is not a real date" in line for line in messages
    )
    assert any(
        "record 'D7': nationality 'XXX' is not an ISO 3166 alpha-3 code" in line
        for line in messages
    )


def test_strict_refuses_a_file_with_bad_rows_and_writes_nothing(tmp_path):
    path = write(tmp_path, *GOOD, "D6,Yonas,Tesfay,,1994-02-30,M,ERI,,")
    with pytest.raises(CommandError, match="nothing was written") as refused:
        run(path, tmp_path, "--strict")
    assert refused.value.returncode == 2
    assert not (tmp_path / "out.csv").exists()


def test_a_file_that_is_not_the_interchange_csv_is_refused(tmp_path):
    with pytest.raises(CommandError, match="has no column record_id") as refused:
        run(write(tmp_path, "1,2,3", header="id,name,dob"), tmp_path)
    assert refused.value.returncode == 2
    with pytest.raises(CommandError, match="no file at"):
        run(tmp_path / "missing.csv", tmp_path)


def test_retraining_learns_from_a_file_and_the_new_model_clusters(tmp_path):
    from safepassage.people.matching import batch
    from safepassage.people.matching.generator import generate, write_csv
    from safepassage.people.matching.interchange import read_rows

    source = tmp_path / "records.csv"
    write_csv(generate(400, seed=3), source)
    model_path = tmp_path / "model.json"
    out = io.StringIO()
    call_command(
        "train_match_model", "--input", str(source), "--output", str(model_path), stdout=out
    )
    assert "model saved to" in out.getvalue()
    trained = batch.load(model_path)
    assert trained["training_records"] > 500
    assert 0 < trained["splink"]["probability_two_random_records_match"] < 1

    with write(tmp_path, *GOOD).open(encoding="utf-8") as stream:
        records = [row.record for row in read_rows(stream) if row.record]
    clusters = batch.cluster(records, trained=trained)
    assert clusters["A1"] == clusters["A3"]
    assert clusters["B2"] != clusters["A1"]


def test_retraining_refuses_too_few_records(tmp_path):
    with pytest.raises(CommandError, match="at least 500 are needed") as refused:
        call_command(
            "train_match_model",
            "--input",
            str(write(tmp_path, *GOOD)),
            "--output",
            str(tmp_path / "model.json"),
            stdout=io.StringIO(),
        )
    assert refused.value.returncode == 2
    assert not (tmp_path / "model.json").exists()
