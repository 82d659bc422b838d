"""The synthetic identity generator: its output contract, its realism and its variation rates.

No database: the generator is pure Python.
"""

from __future__ import annotations

import csv
import dataclasses
import inspect
import itertools
import math
import re
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pycountry
import pytest

from safepassage.people.matching import name_pools
from safepassage.people.matching.generator import (
    INTERCHANGE_COLUMNS,
    VARIATION_TARGETS,
    GeneratedRecord,
    generate,
    iter_generate,
    variation_counts,
    variation_rates,
    write_csv,
    write_truth_csv,
)

ROOT = Path(__file__).resolve().parents[2]
HEADER = (
    "record_id,given_names,family_name,name_original_script,date_of_birth,sex,nationality,"
    "place_of_birth,document_number"
)
ARABIC_SCRIPT = (0x0600, 0x06FF)
ETHIOPIC = (0x1200, 0x137F)
CYRILLIC = (0x0400, 0x04FF)
# The script a record's original-script name must be in, by the record's nationality (the
# alternatives a re-registration may record, LBN or '' for a Syrian, share the script).
SCRIPT_BY_NATIONALITY = {
    **dict.fromkeys(
        ("SYR", "SDN", "IRQ", "YEM", "EGY", "LBY", "KWT", "LBN", "", "AFG", "IRN", "PAK"),
        ARABIC_SCRIPT,
    ),
    "ERI": ETHIOPIC,
    "ETH": ETHIOPIC,
    "UKR": CYRILLIC,
}


@pytest.fixture(scope="module")
def records() -> list[GeneratedRecord]:
    return generate(2000, seed=1)


@pytest.fixture(scope="module")
def larger() -> list[GeneratedRecord]:
    return generate(5000, seed=11)


def by_person(records: list[GeneratedRecord]) -> dict[str, list[GeneratedRecord]]:
    people: defaultdict[str, list[GeneratedRecord]] = defaultdict(list)
    for record in records:
        people[record.person_id].append(record)
    return people


def in_block(text: str, block: tuple[int, int]) -> bool:
    return all(block[0] <= ord(ch) <= block[1] for ch in text if not ch.isspace())


# --- Determinism ------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_records():
    assert generate(300, seed=5) == generate(300, seed=5)


def test_a_different_seed_gives_different_records():
    assert generate(300, seed=5) != generate(300, seed=6)


def test_iter_generate_streams_and_agrees_with_generate():
    stream = iter_generate(400, seed=3)
    assert inspect.isgenerator(stream)
    first = next(stream)
    assert [first, *stream] == generate(400, seed=3)


# --- The output contract ----------------------------------------------------------------------


def test_records_have_the_nine_interchange_fields_and_the_truth(records):
    names = tuple(field.name for field in dataclasses.fields(GeneratedRecord))
    assert names == (*INTERCHANGE_COLUMNS, "person_id")
    for record in records:
        row = record.as_row()
        assert tuple(row) == INTERCHANGE_COLUMNS
        assert all(isinstance(value, str) for value in (*row.values(), record.person_id))


def test_dates_are_full_partial_or_missing(records):
    formats = Counter()
    for record in records:
        dob = record.date_of_birth
        if dob == "":
            formats["missing"] += 1
        elif re.fullmatch(r"\d{4}", dob):
            formats["year"] += 1
        elif re.fullmatch(r"\d{4}-\d{2}", dob):
            assert 1 <= int(dob[5:]) <= 12, dob
            formats["month"] += 1
        else:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", dob), dob
            assert date.fromisoformat(dob) <= date(2025, 12, 31)
            formats["full"] += 1
        assert dob == "" or 1930 <= int(dob[:4]) <= 2025, dob
    assert formats["full"] > formats["year"] > formats["missing"] > 0
    assert formats["month"] > 0


def test_sex_and_nationality_are_codes(records):
    for record in records:
        assert record.sex in ("F", "M", "")
        code = record.nationality
        assert code == "" or pycountry.countries.get(alpha_3=code) is not None, code


def test_ids_are_unique_and_well_formed(records):
    ids = [record.record_id for record in records]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"R\d{7}", record_id) for record_id in ids)
    assert ids == sorted(ids)  # numbered in registration order
    people = {record.person_id for record in records}
    assert len(people) == 2000
    assert all(re.fullmatch(r"P\d{6}", person_id) for person_id in people)


def test_two_thousand_people_give_about_three_thousand_records(records):
    assert 2700 <= len(records) <= 3300
    counts = Counter(len(group) for group in by_person(records).values())
    assert 0.55 <= counts[1] / 2000 <= 0.68
    assert counts[2] > counts[3] > counts[4] + counts[5] > 0


def test_duplicates_are_not_grouped_together(records):
    adjacent = sum(a.person_id == b.person_id for a, b in itertools.pairwise(records))
    assert adjacent / (len(records) - 1) < 0.10
    # ...but each person's clean first registration comes before their re-registrations
    first_seen = {}
    for position, record in enumerate(records):
        first_seen.setdefault(record.person_id, position)
    assert list(first_seen.values()) == sorted(first_seen.values())


def test_records_per_person_modes():
    once = generate(200, seed=2, records_per_person="one")
    assert len(once) == 200
    twice = generate(200, seed=2, records_per_person="two")
    assert Counter(Counter(r.person_id for r in twice).values()) == {2: 200}
    with pytest.raises(ValueError, match="records_per_person"):
        generate(10, records_per_person="many")


# --- Realism ----------------------------------------------------------------------------------


def test_original_script_is_in_the_script_of_the_culture(records):
    checked = Counter()
    for record in records:
        script = record.name_original_script
        if record.nationality in ("ALB", "SOM"):
            assert script == "", record  # Albanian and Somali are written in Latin only
        elif script and record.nationality == "VNM":
            assert re.fullmatch(r"[^\W\d_]+( [^\W\d_]+)+", script), script  # Latin letters
            checked["vnm"] += 1
        elif script:
            block = SCRIPT_BY_NATIONALITY[record.nationality]
            assert in_block(script, block), (record.nationality, script)
            checked[block] += 1
    assert checked[ARABIC_SCRIPT] > 0
    assert checked[ETHIOPIC] > 0
    assert checked["vnm"] > 0


def test_vietnamese_original_names_carry_diacritics_and_put_the_family_first(larger):
    vietnamese = [r for r in larger if r.nationality == "VNM" and r.name_original_script]
    assert vietnamese
    with_marks = [r for r in vietnamese if not r.name_original_script.isascii()]
    assert len(with_marks) / len(vietnamese) > 0.9
    clean = {}
    for record in larger:
        clean.setdefault(record.person_id, record)
    for record in clean.values():
        if record.nationality == "VNM" and record.name_original_script:
            first_word = record.name_original_script.split()[0]
            plain = name_pools._strip_diacritics(first_word)
            assert plain == record.family_name or first_word == record.family_name


def test_pools_are_large_and_written_in_their_own_letters():
    blocks = {"arabic": ARABIC_SCRIPT, "ethiopic": ETHIOPIC, "cyrillic": CYRILLIC}
    for culture in name_pools.CULTURES:
        assert len(culture.male) >= 30, culture.key
        assert len(culture.female) >= 20, culture.key
        assert len(culture.family or culture.male) >= 30, culture.key
        for name in (*culture.male, *culture.female, *culture.family):
            if culture.script in blocks:
                assert name.script, name
                assert in_block(name.script, blocks[culture.script]), name
            elif culture.script == "":
                assert name.script == "", name
            if culture.key in ("persian", "sorani", "urdu"):
                assert not set(name.script) & set("يك"), name  # Arabic ya and kaf
            if culture.key == "arabic":
                assert not set(name.script) & set("یکە"), name  # Persian and Kurdish letters
            # spellings differ beyond spaces and case, so a change of spelling is visible
            spellings = [name_pools.compact(spelling) for spelling in name.latin]
            assert len(set(spellings)) == len(spellings), name


def test_the_examples_of_the_brief_are_in_the_pools() -> None:
    spellings: defaultdict[str, set[str]] = defaultdict(set)
    for name in name_pools.all_names():
        spellings[name.script] |= set(name.latin)
    assert {"Mohammed", "Muhammad", "Mohamad", "Mohamed", "Mohammad"} <= spellings["محمد"]
    assert {"Gebre Medhin", "Ghebre Medhin", "Gebre Medin"} <= spellings["ገብረመድህን"]
    assert {"Tesfay", "Tesfai", "Tesfaye"} <= spellings["ተስፋይ"]
    assert {"Oleksandr", "Olexandr", "Aleksandr"} <= spellings["Олександр"]
    assert {"Hosseini", "Husseini", "Hoseyni"} <= spellings["حسینی"]
    husseini = next(n for n in name_pools.ARABIC_FAMILY if n.script == "الحسيني")
    assert husseini.article
    assert "Husseini" in husseini.latin


def test_different_people_look_alike(larger):
    clean = {}
    for record in larger:
        clean.setdefault(record.person_id, record)
    names = Counter((r.given_names, r.family_name) for r in clean.values())
    assert names.most_common(1)[0][1] >= 5  # a very common name, on several people
    # siblings: same family name, birthplace and nationality; twins share a date of birth
    households = Counter(
        (r.family_name, r.place_of_birth, r.nationality, r.date_of_birth)
        for r in clean.values()
        if len(r.date_of_birth) == 10
    )
    assert any(count >= 2 for count in households.values())


def test_re_registrations_differ_from_the_first(records):
    changed = 0
    duplicates = 0
    for group in by_person(records).values():
        for other in group[1:]:
            duplicates += 1
            changed += other.as_row() | {"record_id": ""} != group[0].as_row() | {"record_id": ""}
    assert changed / duplicates > 0.8


# --- Variation rates --------------------------------------------------------------------------


def test_realised_rates_are_near_their_targets(larger):
    counts = variation_counts(larger)
    for key, target in VARIATION_TARGETS.items():
        events, total = counts[key]
        assert total > 50, key
        # four standard errors, plus a little for what the measurement cannot see (a typo
        # on the same name as another spelling hides the spelling)
        tolerance = 4 * math.sqrt(target * (1 - target) / total) + 0.015
        assert abs(events / total - target) <= tolerance, (key, events / total, target)


def test_variation_rates_are_the_counts_as_shares(records):
    rates = variation_rates(records)
    counts = variation_counts(records)
    assert set(rates) == set(counts) >= set(VARIATION_TARGETS)
    events, total = counts["name_swapped"]
    assert rates["name_swapped"] == events / total
    assert math.isnan(variation_rates(generate(50, records_per_person="one"))["name_swapped"])


# --- Files ------------------------------------------------------------------------------------


def test_write_csv(tmp_path, records):
    path = tmp_path / "identities.csv"
    assert write_csv(records, path) == len(records)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [record.as_row() for record in records]
    assert any(row["name_original_script"] for row in rows)  # non-Latin text survives UTF-8


def test_write_csv_with_truth_adds_person_id(tmp_path, records):
    path = tmp_path / "with_truth.csv"
    write_csv(iter(records), path, include_truth=True)
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    assert header == [*INTERCHANGE_COLUMNS, "person_id"]
    assert [row[9] for row in rows] == [record.person_id for record in records]


def test_write_truth_csv(tmp_path, records):
    path = tmp_path / "truth.csv"
    assert write_truth_csv(records, path) == len(records)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "record_id,person_id"
    assert lines[1] == f"{records[0].record_id},{records[0].person_id}"


def test_the_command_line_needs_no_django(tmp_path):
    out, truth = tmp_path / "ids.csv", tmp_path / "truth.csv"
    script = ROOT / "benchmarks" / "generate_identities.py"
    command = [sys.executable, "-X", "importtime", str(script), "--people", "150"]
    command += ["--seed", "4", "--out", str(out), "--truth", str(truth)]
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tmp_path)
    assert "of 150 people" in result.stdout
    assert "name_transliteration" in result.stdout
    assert " django" not in result.stderr  # -X importtime lists every module imported
    assert out.read_text(encoding="utf-8").splitlines()[0] == HEADER
    assert len(truth.read_text(encoding="utf-8").splitlines()) == len(
        out.read_text(encoding="utf-8").splitlines()
    )
