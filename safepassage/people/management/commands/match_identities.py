"""Cluster identity records: which rows are the same person.

    manage.py match_identities --input IN.csv --output OUT.csv [--strict]
    manage.py match_identities --from-db --output OUT.csv [--proposals PAIRS.csv]

IN.csv is the interchange CSV (record_id,given_names,family_name,name_original_script,
date_of_birth,sex,nationality,place_of_birth,document_number). OUT.csv is record_id,cluster_id,
one row per input row, in input order. A bad row is reported on stderr (line, record and what is
wrong) and comes out as a cluster of its own; with --strict, any bad row stops the run and
nothing is written (exit 2).

--from-db clusters the current identities of every person on record (record_id is
"identity:<id>") and, with --proposals, writes the pairs of people it finds to be one person
that no officer has yet decided on, for review.
"""

from __future__ import annotations

import csv
import sys
from itertools import combinations
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from safepassage.people.matching import batch, model
from safepassage.people.matching.interchange import BadHeader, Row, read_rows, write_clusters

BAD_INPUT = 2


def read_interchange(path: Path) -> list[Row]:
    """Every row of an interchange CSV, good or bad; a file that is not one stops the run."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return list(
                tqdm(
                    read_rows(stream),
                    desc="Reading",
                    unit="row",
                    disable=not sys.stderr.isatty(),
                )
            )
    except FileNotFoundError:
        raise CommandError(f"no file at {path}", returncode=BAD_INPUT) from None
    except (BadHeader, UnicodeDecodeError, csv.Error) as error:
        raise CommandError(
            f"{path} is not the interchange CSV: {error}", returncode=BAD_INPUT
        ) from None


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--input", help="the interchange CSV to cluster")
        source.add_argument("--from-db", action="store_true", help="cluster stored identities")
        parser.add_argument("--output", required=True, help="where to write record_id,cluster_id")
        parser.add_argument(
            "--strict", action="store_true", help="refuse the file if any row is bad"
        )
        parser.add_argument(
            "--proposals", help="with --from-db: write proposed pairs of people here"
        )
        parser.add_argument("--threshold", type=float, default=model.MATCH_THRESHOLD)
        parser.add_argument(
            "--memory-limit", default="4GB", help="for DuckDB, which spills to disk beyond it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1", returncode=BAD_INPUT)
        if options["from_db"]:
            self._from_db(options)
            return
        rows = read_interchange(Path(options["input"]))
        problems = [problem for row in rows for problem in row.problems]
        for problem in problems:
            self.stderr.write(str(problem))
        if problems and options["strict"]:
            raise CommandError(
                f"{len(problems)} problem(s) in {options['input']}; nothing was written (--strict)",
                returncode=BAD_INPUT,
            )
        records = [row.record for row in rows if row.record is not None]
        show = sys.stderr.isatty()
        with tqdm(total=len(records), desc="Preparing", unit="record", disable=not show) as bar:
            clusters = batch.cluster(
                records,
                threshold=options["threshold"],
                memory_limit=options["memory_limit"],
                progress=bar.update,
            )
        assignments = [
            (row.record_id, clusters[row.record_id] if row.record else f"unmatched-line-{row.line}")
            for row in rows
        ]
        with Path(options["output"]).open("w", encoding="utf-8", newline="") as stream:
            written = write_clusters(stream, assignments)
        people = len(set(clusters.values())) + sum(1 for row in rows if row.record is None)
        self.stdout.write(
            f"{written} rows written to {options['output']}: {people} people, "
            f"{len(problems)} bad row(s) left on their own."
        )

    def _from_db(self, options: dict[str, Any]) -> None:
        from safepassage.people.models import Decision, Identity, MatchDecision
        from safepassage.people.records import first_document_numbers, identity_record

        identities = list(
            Identity.objects.filter(is_current=True, person__merged_into__isnull=True).order_by(
                "pk"
            )
        )
        numbers = first_document_numbers([item.pk for item in identities])
        records = [
            identity_record(
                item, record_id=f"identity:{item.pk}", document_number=numbers.get(item.pk, "")
            )
            for item in identities
        ]
        clusters = batch.cluster(
            records, threshold=options["threshold"], memory_limit=options["memory_limit"]
        )
        with Path(options["output"]).open("w", encoding="utf-8", newline="") as stream:
            write_clusters(
                stream, ((record.record_id, clusters[record.record_id]) for record in records)
            )
        person_of = {f"identity:{item.pk}": item.person_id for item in identities}
        groups: dict[str, set[int]] = {}
        for record_id, cluster_id in clusters.items():
            groups.setdefault(cluster_id, set()).add(person_of[record_id])
        decided = {
            frozenset((decision.subject_id, decision.candidate_id))
            for decision in MatchDecision.objects.exclude(decision=Decision.DEFERRED)
        }
        proposals = [
            pair
            for people in groups.values()
            for pair in combinations(sorted(people), 2)
            if frozenset(pair) not in decided
        ]
        if options["proposals"]:
            with Path(options["proposals"]).open("w", encoding="utf-8", newline="") as stream:
                writer = csv.writer(stream, lineterminator="\n")
                writer.writerow(["person", "may_be_the_same_as"])
                writer.writerows(proposals)
        self.stdout.write(
            f"{len(records)} identities clustered into {len(groups)} people; "
            f"{len(proposals)} pair(s) of people proposed for an officer to review."
        )
