"""The interchange CSV of DESIGN.md, read strictly: every bad row is reported, none is dropped.

record_id,given_names,family_name,name_original_script,date_of_birth,sex,nationality,
place_of_birth,document_number
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import pycountry

from safepassage.people.matching.features import IdentityRecord
from safepassage.people.matching.normalise import BadDate, parse_date_of_birth

COLUMNS = (
    "record_id",
    "given_names",
    "family_name",
    "name_original_script",
    "date_of_birth",
    "sex",
    "nationality",
    "place_of_birth",
    "document_number",
)
SEXES = {"F", "M", "X", "U", ""}
MAX_FIELD = 300


class BadHeader(ValueError):
    pass


@dataclass(frozen=True)
class RowProblem:
    line: int
    record_id: str
    message: str

    def __str__(self) -> str:
        who = f"record {self.record_id!r}" if self.record_id else "a record with no record_id"
        return f"line {self.line}, {who}: {self.message}"


@dataclass(frozen=True)
class Row:
    """One input row in input order. ``record`` is None when the row cannot be matched at all."""

    line: int
    record_id: str
    record: IdentityRecord | None
    problems: tuple[RowProblem, ...]


def _known_nationality(code: str) -> bool:
    return code == "" or pycountry.countries.get(alpha_3=code) is not None


def check_header(fieldnames: Iterable[str] | None) -> None:
    missing = [column for column in COLUMNS if column not in (fieldnames or [])]
    if missing:
        raise BadHeader(f"the CSV has no column {', '.join(missing)}; expected {','.join(COLUMNS)}")


def read_rows(stream: IO[str]) -> Iterator[Row]:
    """Rows in input order, each with its problems. A row with any problem is not matched: it
    is reported, and comes out on its own."""
    reader = csv.DictReader(stream)
    check_header(reader.fieldnames)
    seen: set[str] = set()
    for values in reader:
        line = reader.line_num
        record_id = (values.get("record_id") or "").strip()
        problems: list[RowProblem] = []

        def problem(
            message: str,
            *,
            found: list[RowProblem] = problems,
            record_id: str = record_id,
            line: int = line,
        ) -> None:
            found.append(RowProblem(line, record_id, message))

        fields = {
            column: " ".join((values.get(column) or "").split())[:MAX_FIELD] for column in COLUMNS
        }
        if not record_id:
            problem("record_id is missing")
        elif record_id in seen:
            problem("record_id appears more than once; only its first row is matched")
        seen.add(record_id)
        try:
            dob = parse_date_of_birth(fields["date_of_birth"])
        except BadDate as error:
            problem(f"date_of_birth {error}")
            dob = None
        nationality = fields["nationality"].upper()
        if not _known_nationality(nationality):
            problem(f"nationality {fields['nationality']!r} is not an ISO 3166 alpha-3 code")
            nationality = ""
        sex = fields["sex"].upper()
        if sex not in SEXES:
            problem(f"sex {fields['sex']!r} must be F, M, X or empty")
            sex = ""
        record = (
            IdentityRecord(
                record_id=record_id,
                given_names=fields["given_names"],
                family_name=fields["family_name"],
                name_original_script=fields["name_original_script"],
                date_of_birth=dob,
                sex=sex if sex in {"F", "M"} else "",
                nationality=nationality,
                place_of_birth=fields["place_of_birth"],
                document_number=fields["document_number"],
            )
            if not problems
            else None
        )
        yield Row(line=line, record_id=record_id, record=record, problems=tuple(problems))


def write_clusters(stream: IO[str], assignments: Iterable[tuple[str, str]]) -> int:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(["record_id", "cluster_id"])
    count = 0
    for record_id, cluster_id in assignments:
        writer.writerow([record_id, cluster_id])
        count += 1
    return count
