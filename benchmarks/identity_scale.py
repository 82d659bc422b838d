"""A million generated records through ``match_identities``, as an operator would run it.

    .venv/bin/python benchmarks/identity_scale.py [--records 1000000] [--seed 5] [--keep DIR]

Generates refugee-style records (about 1.55 per person) into an interchange CSV, runs
``manage.py match_identities`` on it in a child process, and prints the wall time, the child's
peak memory (maximum resident set size) and the pairwise precision, recall and F1 of its
clusters against the generator's truth.

Target (issue 5): under 10 minutes and under 8 GiB peak memory on the 2-core machine.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safepassage.people.matching.generator import (  # noqa: E402
    iter_generate,
    write_csv,
    write_truth_csv,
)

# The generator's realistic mix gives about this many records per person.
RECORDS_PER_PERSON = 1.55


def _pairs(groups: dict[str, list[str]]) -> set[tuple[str, str]]:
    return {
        pair
        for members in groups.values()
        if len(members) > 1
        for pair in itertools.combinations(sorted(members), 2)
    }


def _groups(path: Path, column: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            groups[row[column]].append(row["record_id"])
    return groups


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = options.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        records_csv, truth_csv, clusters_csv = (
            folder / "records.csv",
            folder / "truth.csv",
            folder / "clusters.csv",
        )
        people = round(options.records / RECORDS_PER_PERSON)
        started = time.perf_counter()
        count = write_csv(iter_generate(people, seed=options.seed), records_csv)
        write_truth_csv(iter_generate(people, seed=options.seed), truth_csv)
        print(
            f"Generated {count:,} records of {people:,} people in "
            f"{time.perf_counter() - started:.0f} s"
        )

        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "match_identities",
                "--input",
                str(records_csv),
                "--output",
                str(clusters_csv),
            ],
            check=True,
            cwd=ROOT,
        )
        elapsed = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(
            f"match_identities: {elapsed / 60:.1f} min ({elapsed:.0f} s) wall time, "
            f"peak memory {peak_kib / 1024 / 1024:.2f} GiB, "
            f"{count / elapsed:,.0f} records/s"
        )

        true = _pairs(_groups(truth_csv, "person_id"))
        predicted = _pairs(_groups(clusters_csv, "cluster_id"))
        hits = len(true & predicted)
        precision, recall = hits / max(len(predicted), 1), hits / max(len(true), 1)
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        print(
            f"Pairwise precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f} "
            f"({len(predicted):,} pairs predicted, {len(true):,} true)"
        )


if __name__ == "__main__":
    main()
