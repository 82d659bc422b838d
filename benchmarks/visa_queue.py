"""The decision makers' queue and case view with a million applications in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/visa_queue.py [--applications 1000000] [--requests 60]

Loads the applications into a throwaway database (as submission leaves them: priority, queue
key, the fields the filters use), then asks the real views, through Django's test client as a
signed-in decision maker, for: the first page of the queue; a page a quarter of a million rows deep;
the first page filtered by nationality, vulnerability and waiting time; and a case view. It
prints p50/p95/p99 and how many SQL statements each page sends.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from harness import throwaway_database
from stats import describe

from safepassage.applications.models import UNDECIDED_STATUSES, Applicant, Application
from safepassage.applications.queue import priority_of, queue_key
from safepassage.core.actors import SystemActor
from safepassage.core.models import Location
from safepassage.core.roles import Role
from safepassage.core.services.demo import demo_totp_key
from safepassage.core.services.users import user_create

BATCH = 20_000
NATIONALITIES = ["SYR", "AFG", "ERI", "SDN", "IRN", "IRQ", "YEM", "SOM", "ETH", "UKR"]
COUNTRIES = ["LBN", "TUR", "PAK", "ETH", "EGY", "JOR", "IRN", "KEN", "LBY", "POL"]
STATUSES = ["received"] * 6 + ["checks_in_progress"] * 3 + ["biometrics_needed", "decided"]


def _load(count: int, rng: random.Random) -> None:
    applicants = Applicant.objects.bulk_create(
        [
            Applicant(contact_kind="email", contact=f"bench{number}@example.org")
            for number in range(max(1, count // 4))
        ],
        batch_size=BATCH,
    )
    now = timezone.now()
    made = 0
    next_id = 1
    while made < count:
        rows = []
        for _ in range(min(BATCH, count - made)):
            is_child = rng.random() < 0.08
            vulnerable = rng.random() < 0.2
            children = rng.random() < 0.15
            priority = priority_of(
                is_child=is_child, has_children=children, declared_vulnerability=vulnerable
            )
            submitted = now - timedelta(minutes=rng.randint(0, 60 * 24 * 60))
            rows.append(
                Application(
                    id=next_id,
                    applicant=applicants[next_id % len(applicants)],
                    reference=f"SP-B{next_id:010d}",
                    status=rng.choice(STATUSES),
                    answers={"name": {"given_names": "Amal", "family_name": "Haddad"}},
                    nationality=rng.choice(NATIONALITIES),
                    current_country=rng.choice(COUNTRIES),
                    date_of_birth="2012" if is_child else "1990",
                    is_child=is_child,
                    declared_vulnerability=vulnerable,
                    family_size=1 if children else 0,
                    priority=priority,
                    queue_key=queue_key(priority, submitted, next_id),
                    submitted_at=submitted,
                )
            )
            next_id += 1
        Application.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
        print(f"\rLoaded {made:,} applications", end="", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_application")
    print()


def _officer_client() -> Client:
    # Imported here: the harness sets Django up, and a model module cannot load before that.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    actor = SystemActor("benchmark")
    office = Location.objects.create(code="bench", name="Bench", kind="office")
    user = user_create(
        actor=actor,
        username="bench-decider",
        full_name="Bench Decider",
        email="decider@example.org",
        roles=[Role.DECISION_MAKER],
        locations=[office],
        send_invitation=False,
    )
    device = TOTPDevice.objects.create(
        user=user, name="bench", key=demo_totp_key(user.username), confirmed=True
    )
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host, outside the test runner
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _measure(client: Client, label: str, path: str, requests: int) -> None:
    client.get(path)  # warm
    statements: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    captured = [sql for sql in statements if not sql.startswith(("SAVEPOINT", "RELEASE"))]
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"  {label:<44} {describe(timings)}; {len(captured)} SQL statements")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--seed", type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with throwaway_database() as vendor:
        started = time.perf_counter()
        _load(options.applications, rng)
        print(
            f"Loaded {options.applications:,} applications into {vendor} in "
            f"{time.perf_counter() - started:.0f} s"
        )
        client = _officer_client()
        open_rows = Application.objects.filter(status__in=UNDECIDED_STATUSES).order_by("queue_key")
        # A cursor about a third of the way down the open queue.
        deep = open_rows.values_list("queue_key", flat=True)[options.applications // 4]
        sample = open_rows.first()
        assert sample is not None
        print(f"Through the views, {options.requests} requests each:")
        _measure(client, "queue, first page", "/applications/", options.requests)
        _measure(
            client, "queue, a page deep down", f"/applications/?after={deep}", options.requests
        )
        _measure(
            client,
            "queue, filtered (AFG, vulnerable, waiting 5+ days)",
            "/applications/?nationality=AFG&vulnerability=yes&waiting=5",
            options.requests,
        )
        _measure(
            client,
            "queue, filtered, deep",
            f"/applications/?nationality=AFG&vulnerability=yes&after={deep}",
            options.requests,
        )
        _measure(client, "case view", f"/applications/{sample.public_id}/", options.requests)


if __name__ == "__main__":
    main()
