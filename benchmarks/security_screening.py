"""The security check's screening against a watch list of 100,000 people.

    .venv/bin/python benchmarks/security_screening.py [--entries 100000] [--screenings 400]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/security_screening.py

Generates refugee-style identities (people.matching.generator), loads the first registration of
``--entries`` people as a watch list through the real service (watch_list_load: validation, keys,
one transaction), then screens with the local provider, timing each screening:

- half the subjects are later registrations of listed people (other spellings and scripts,
  names swapped, dates partly recorded): each should be a possible match or a match;
- half are people who are not on the list: most should be clear, but common names make some
  look like someone listed, as they do in life.

Prints the load time, p50/p95/p99 per screening, and what the screenings found. The
generator's names are deliberately common (it was made to test identity matching), and here the
list holds 100,000 people of the same few nationalities and ages as the subjects, so many people
who are not listed share a name and a near date of birth with someone who is: the "not listed"
possible matches are an upper bound on the officers' adjudication work, not an estimate of it.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import time
from collections import Counter

from harness import throwaway_database
from stats import describe

from safepassage.applications.security_providers import LocalWatchListProvider, ScreeningSubject
from safepassage.applications.services.security import watch_list_load
from safepassage.core.actors import SystemActor
from safepassage.core.models import Location
from safepassage.core.roles import Role
from safepassage.core.services.users import user_create
from safepassage.people.matching.generator import GeneratedRecord, iter_generate


def _watch_list_csv(records: list[GeneratedRecord]) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(["reference", "family_name", "given_names", "date_of_birth", "nationality"])
    for record in records:
        writer.writerow(
            [
                f"WL-{record.person_id}",
                record.family_name or record.given_names,
                record.given_names if record.family_name else "",
                record.date_of_birth,
                record.nationality,
            ]
        )
    return output.getvalue().encode()


def _subject(record: GeneratedRecord) -> ScreeningSubject:
    return ScreeningSubject(
        given_names=record.given_names,
        family_name=record.family_name,
        given_names_original=record.name_original_script,
        date_of_birth=record.date_of_birth,
        nationality=record.nationality,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--screenings", type=int, default=400)
    parser.add_argument("--seed", type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(options.seed)

    # Twice as many people as entries: the first half are listed, the second half are not. A
    # person's first record is their clean registration; later ones are re-registrations.
    listed: dict[str, GeneratedRecord] = {}
    again: list[GeneratedRecord] = []
    unlisted: list[GeneratedRecord] = []
    seen: set[str] = set()
    for record in iter_generate(options.entries * 2, seed=options.seed):
        if record.person_id in seen:
            if record.person_id in listed:
                again.append(record)
            continue
        seen.add(record.person_id)
        if len(listed) < options.entries:
            listed[record.person_id] = record
        elif len(unlisted) < options.screenings:
            unlisted.append(record)
    content = _watch_list_csv(list(listed.values()))
    half = options.screenings // 2
    subjects = [("listed", record) for record in rng.sample(again, min(half, len(again)))]
    subjects += [("not listed", record) for record in unlisted[: options.screenings - half]]
    rng.shuffle(subjects)

    with throwaway_database() as vendor:
        office = Location.objects.create(code="bench", name="Bench", kind="office")
        administrator = user_create(
            actor=SystemActor("benchmark"),
            username="bench-admin",
            full_name="Bench Administrator",
            email="admin@example.org",
            roles=[Role.ADMINISTRATOR],
            locations=[office],
            send_invitation=False,
        )
        started = time.perf_counter()
        watch_list = watch_list_load(actor=administrator, filename="bench.csv", content=content)
        print(
            f"Loaded a watch list of {watch_list.entry_count:,} entries "
            f"({len(content) / 1024 / 1024:.1f} MB) into {vendor} in "
            f"{time.perf_counter() - started:.1f} s"
        )
        provider = LocalWatchListProvider()
        provider.screen(_subject(subjects[0][1]))  # warm
        timings: list[float] = []
        found: Counter[tuple[str, str]] = Counter()
        compared: list[int] = []
        # Why each screening found what it found: the strongest hit's agreement, by group.
        why: Counter[tuple[str, str]] = Counter()
        for kind, record in subjects:
            began = time.perf_counter()
            report = provider.screen(_subject(record))
            timings.append((time.perf_counter() - began) * 1000)
            compared.append(report.entries_compared)
            found[(kind, report.result)] += 1
            if report.hits:
                agreement = report.hits[0].agreement
                reason = (
                    f"{report.result}: name {agreement['name']}, born {agreement['date_of_birth']},"
                    f" nationality {agreement['nationality']}"
                )
                why[(kind, reason)] += 1
        print(f"{len(subjects)} screenings: {describe(timings)} per screening")
        print(
            f"  entries compared per screening: median {sorted(compared)[len(compared) // 2]}, "
            f"most {max(compared)}"
        )
        for kind in ("listed", "not listed"):
            total = sum(count for (group, _), count in found.items() if group == kind)
            shares = ", ".join(
                f"{result} {found[(kind, result)] / total:.0%}"
                for result in ("match", "possible_match", "clear")
            )
            print(f"  {kind:<11} ({total}): {shares}")
        for kind in ("listed", "not listed"):
            print(f"  {kind} people with a hit, by the strongest hit's agreement:")
            for (group, reason), count in why.most_common():
                if group == kind:
                    print(f"    {reason}: {count}")


if __name__ == "__main__":
    main()
