"""How fast ``find_candidates`` answers at registration against a large register.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/identity_candidates.py [--people 1000000] [--lookups 300]

Loads ``--people`` generated people into a throwaway database (one current identity each, with
its blocking keys and documents, written in bulk as ``person_register`` would write them one by
one), then registers ``--lookups`` arrivals who are re-registrations of people already loaded,
under the variations of the generator, and times ``find_candidates`` for each: the indexed
blocking queries plus scoring the pool with the trained model. Prints p50/p95/p99, how often
the true person is the first candidate, and the pool sizes.

Target (issue 5): p95 < 300 ms against 1,000,000 stored people in PostgreSQL.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from typing import Any

from harness import throwaway_database
from stats import describe

from safepassage.core.actors import SystemActor
from safepassage.people import selectors, services
from safepassage.people.matching.features import all_name_keys, features
from safepassage.people.matching.generator import GeneratedRecord, iter_generate
from safepassage.people.matching.normalise import document_key, parse_date_of_birth
from safepassage.people.models import (
    Identity,
    IdentityDocument,
    IdentityNameKey,
    IdentitySource,
    Person,
    Precision,
)
from safepassage.people.records import identity_record

BATCH = 5_000
ACTOR = SystemActor("benchmark")


def _identity(person: Person, record: GeneratedRecord) -> Identity:
    born = parse_date_of_birth(record.date_of_birth)
    identity = Identity(
        person=person,
        given_names=record.given_names,
        family_name=record.family_name,
        family_name_original=record.name_original_script,
        original_script="Zyyy" if record.name_original_script else "",
        date_of_birth=date(born.year, born.month or 1, born.day or 1) if born else None,
        dob_precision=(
            ""
            if born is None
            else Precision.DAY
            if born.day
            else Precision.MONTH
            if born.month
            else Precision.YEAR
        ),
        sex=record.sex,
        nationality=record.nationality,
        place_of_birth=record.place_of_birth,
        source=IdentitySource.IMPORT,
    )
    return identity


def _load(records: list[GeneratedRecord]) -> list[int]:
    """Store one person per record, as person_register would; returns the identities' ids."""
    people = Person.objects.bulk_create([Person() for _ in records])
    identities = [_identity(person, record) for person, record in zip(people, records, strict=True)]
    rows = []
    for identity in identities:
        row = features(identity_record(identity))
        identity.given_key = row["given_key"] or ""
        identity.family_key = row["family_key"] or ""
        identity.dob_year = row["dob_year"]
        rows.append(row)
    Identity.objects.bulk_create(identities)
    IdentityNameKey.objects.bulk_create(
        [
            IdentityNameKey(identity=identity, key=key[:60], dob_year=identity.dob_year)
            for identity, row in zip(identities, rows, strict=True)
            for key in sorted(all_name_keys(row))
        ]
    )
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                identity=identity,
                document_type="passport",
                number=record.document_number,
                number_key=document_key(record.document_number),
            )
            for identity, record in zip(identities, records, strict=True)
            if document_key(record.document_number)
        ]
    )
    return [identity.pk for identity in identities]


def _register(arrival: GeneratedRecord) -> Identity:
    documents: tuple[services.DocumentInput, ...] = ()
    if document_key(arrival.document_number):
        documents = (services.DocumentInput("passport", arrival.document_number),)
    person = services.person_register(
        actor=ACTOR,
        identity=services.IdentityInput(
            given_names=arrival.given_names,
            family_name=arrival.family_name,
            family_name_original=arrival.name_original_script,
            original_script="Zyyy" if arrival.name_original_script else "",
            date_of_birth=arrival.date_of_birth,
            sex=arrival.sex,
            nationality=arrival.nationality,
            place_of_birth=arrival.place_of_birth,
            documents=documents,
        ),
    )
    identity = selectors.current_identity(person)
    assert identity is not None
    return identity


def _time_the_parts() -> dict[str, list[float]]:
    """Wrap the two halves of find_candidates, the pool's queries and the model's scoring, to
    report where the time goes."""
    spent: dict[str, list[float]] = {"the pool's queries": [], "scoring the pool": []}

    def timed(function: Any, part: str) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[part].append((time.perf_counter() - started) * 1000)

        return wrapper

    selectors._pool = timed(selectors._pool, "the pool's queries")
    realtime_module = selectors.realtime
    realtime_module.score = timed(realtime_module.score, "scoring the pool")
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--lookups", type=int, default=300)
    parser.add_argument("--seed", type=int, default=9)
    options = parser.parse_args()

    with throwaway_database() as vendor:
        started = time.perf_counter()
        # Every generated person registers twice: the first record is loaded, the second is
        # an arrival to look up, for the people loaded in the second half.
        loaded_identity: dict[str, int] = {}
        arrivals: list[GeneratedRecord] = []
        pending: list[GeneratedRecord] = []
        pending_people: set[str] = set()
        for record in iter_generate(options.people, seed=options.seed, records_per_person="two"):
            known = record.person_id in loaded_identity or record.person_id in pending_people
            if not known:
                pending.append(record)
                pending_people.add(record.person_id)
            elif len(arrivals) < options.lookups and len(loaded_identity) > options.people // 2:
                arrivals.append(record)
            if len(pending) >= BATCH:
                ids = _load(pending)
                loaded_identity.update(
                    (item.person_id, pk) for item, pk in zip(pending, ids, strict=True)
                )
                pending, pending_people = [], set()
                print(f"\rLoaded {len(loaded_identity):,} people", end="", flush=True)
        if pending:
            ids = _load(pending)
            loaded_identity.update(
                (item.person_id, pk) for item, pk in zip(pending, ids, strict=True)
            )
        print(
            f"\nLoaded {len(loaded_identity):,} people into {vendor} in "
            f"{time.perf_counter() - started:.0f} s"
        )

        spent = _time_the_parts()
        timings, shown, first_right, anywhere = [], [], 0, 0
        for arrival in arrivals:
            identity = _register(arrival)
            started = time.perf_counter()
            candidates = selectors.find_candidates(actor=ACTOR, identity=identity)
            timings.append((time.perf_counter() - started) * 1000)
            shown.append(len(candidates))
            if candidates and candidates[0].identity.pk == loaded_identity.get(arrival.person_id):
                first_right += 1
            true_identity = loaded_identity.get(arrival.person_id)
            if any(candidate.identity.pk == true_identity for candidate in candidates):
                anywhere += 1
        print(f"find_candidates for {len(timings)} arrivals: {describe(timings)}")
        for part, samples in spent.items():
            print(f"  of which {part}: {describe(samples)}")
        print(
            f"The true person ranked first for {first_right / max(len(timings), 1):.1%}, "
            f"and was among those shown for {anywhere / max(len(timings), 1):.1%}; "
            f"candidates shown per arrival: median {statistics.median(shown):.0f}, "
            f"max {max(shown)}"
        )


if __name__ == "__main__":
    main()
