"""Identity matching on generated refugee-style records: the shipped model, as users get it.

    .venv/bin/python benchmarks/identity_refugee.py [--people 2000] [--seed 1]

Generates the records of ``--people`` people (about 1.5 records each, with the spelling, script,
order, date and nationality variations of docs/identity-test-data.md), clusters them with the
model in the repository at its match threshold, and prints:

- blocking recall: the share of true pairs that any blocking rule puts in front of the model;
- pairwise precision, recall and F1 of the clusters, at the shipped threshold and either side.

The shipped model was trained (without labels) on a different seed; see train_match_model.
Target (issue 5): pairwise F1 >= 0.97 at 2,000 people.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from safepassage.people.matching import batch, model
from safepassage.people.matching.features import IdentityRecord
from safepassage.people.matching.generator import generate
from safepassage.people.matching.normalise import parse_date_of_birth

Pair = tuple[str, str]


def _pairs(assignment: dict[str, str]) -> set[Pair]:
    groups: dict[str, list[str]] = defaultdict(list)
    for record_id, group in assignment.items():
        groups[group].append(record_id)
    return {
        pair for members in groups.values() for pair in itertools.combinations(sorted(members), 2)
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()

    generated = generate(options.people, seed=options.seed)
    records = [
        IdentityRecord(
            record_id=item.record_id,
            given_names=item.given_names,
            family_name=item.family_name,
            name_original_script=item.name_original_script,
            date_of_birth=parse_date_of_birth(item.date_of_birth),
            sex=item.sex,
            nationality=item.nationality,
            place_of_birth=item.place_of_birth,
            document_number=item.document_number,
        )
        for item in generated
    ]
    true = _pairs({item.record_id: item.person_id for item in generated})
    print(
        f"{options.people:,} people, {len(records):,} records, {len(true):,} true pairs "
        f"(seed {options.seed})"
    )

    blocked = batch.predict_pairs(records, threshold=0.0)
    reached = {
        tuple(sorted((str(left), str(right))))
        for left, right in zip(blocked["unique_id_l"], blocked["unique_id_r"], strict=True)
    }
    print(
        f"Blocking recall {len(true & reached) / len(true):.4f} "
        f"({len(reached):,} candidate pairs scored, "
        f"{len(reached) / (len(records) * (len(records) - 1) / 2):.4%} of all pairs)"
    )

    for threshold in (0.9, 0.95, model.MATCH_THRESHOLD, 0.995):
        started = time.perf_counter()
        predicted = _pairs(batch.cluster(records, threshold=threshold))
        seconds = time.perf_counter() - started
        hits = len(predicted & true)
        precision, recall = hits / max(len(predicted), 1), hits / len(true)
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        shipped = "  <- shipped threshold" if threshold == model.MATCH_THRESHOLD else ""
        print(
            f"Threshold {threshold}: precision {precision:.4f}, recall {recall:.4f}, "
            f"F1 {f1:.4f} ({seconds:.1f} s){shipped}"
        )


if __name__ == "__main__":
    main()
