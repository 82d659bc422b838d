"""Write synthetic refugee-style identity records for matching tests and benchmarks.

    .venv/bin/python benchmarks/generate_identities.py --people 2000 --seed 1 \\
        --out var/identities.csv [--truth var/identities_truth.csv]

Writes the interchange CSV (record_id, given_names, family_name, name_original_script,
date_of_birth, sex, nationality, place_of_birth, document_number) and, with --truth,
record_id,person_id: which records are really the same person. Streams, so a million people
(about 1.55 million records) take well under two minutes and little memory. Prints how many
people and records it wrote and the realised rate of each kind of variation beside its
target (measured on the first --sample records). No real personal data: see
docs/identity-test-data.md. Needs no Django and no database.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safepassage.people.matching.generator import (
    TRUTH_COLUMNS,
    VARIATION_TARGETS,
    GeneratedRecord,
    iter_generate,
    variation_counts,
    write_csv,
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000, help="how many people (default 2000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, default=Path("var/identities.csv"))
    parser.add_argument("--truth", type=Path, help="also write record_id,person_id here")
    parser.add_argument(
        "--records-per-person",
        choices=("realistic", "one", "two"),
        default="realistic",
        help="realistic: ~60%% once, 25%% twice, 10%% three times, 5%% four or five",
    )
    parser.add_argument(
        "--include-truth", action="store_true", help="add person_id as a 10th column to --out"
    )
    parser.add_argument(
        "--sample",
        type=int,
        default=200_000,
        help="measure variation rates on the first N records (default 200000)",
    )
    args = parser.parse_args(argv)
    if args.people < 0 or args.sample < 0:
        parser.error("--people and --sample must not be negative")
    return args


def tap(
    records: Iterable[GeneratedRecord], sample: list[GeneratedRecord], size: int, truth: Path | None
) -> Iterator[GeneratedRecord]:
    """Pass the stream through, keeping the first `size` records and writing the truth file
    on the way, so that one pass makes both files."""
    handle = open(truth, "w", encoding="utf-8", newline="") if truth else None  # noqa: SIM115
    try:
        writer = csv.writer(handle, lineterminator="\n") if handle else None
        if writer:
            writer.writerow(TRUTH_COLUMNS)
        for record in records:
            if len(sample) < size:
                sample.append(record)
            if writer:
                writer.writerow((record.record_id, record.person_id))
            yield record
    finally:
        if handle:
            handle.close()


def report(people: int, rows: int, args: argparse.Namespace, sample: list[GeneratedRecord]) -> None:
    print(f"wrote {rows:,} records of {people:,} people to {args.out}")
    if args.truth:
        print(f"wrote the truth (record_id,person_id) to {args.truth}")
    measured = "all" if len(sample) == rows else f"the first {len(sample):,}"
    print(f"\nvariation rates, measured on {measured} records:")
    print(f"  {'variation':28s} {'realised':>9s} {'target':>7s} {'of':>9s}")
    for key, (events, total) in variation_counts(sample).items():
        rate = events / total if total else math.nan
        target = VARIATION_TARGETS.get(key)
        shown_target = f"{target:7.3f}" if target is not None else f"{'':7s}"
        print(f"  {key:28s} {rate:9.3f} {shown_target} {total:9,}")
    if len(sample) < rows:
        print(
            "  (people registered near the end of the sample re-register after it, so"
            " people_with_duplicates and duplicate_records read low here)"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.truth:
        args.truth.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    sample: list[GeneratedRecord] = []
    records = iter_generate(args.people, seed=args.seed, records_per_person=args.records_per_person)
    rows = write_csv(
        tap(records, sample, args.sample, args.truth), args.out, include_truth=args.include_truth
    )
    elapsed = time.perf_counter() - started
    report(args.people, rows, args, sample)
    print(
        f"\ngenerated and written in {elapsed:.1f} s ({rows / max(elapsed, 1e-9):,.0f} records/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
