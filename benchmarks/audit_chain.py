"""How fast the audit chain appends and verifies.

    .venv/bin/python benchmarks/audit_chain.py [--events 5000] [--writers 4]
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/audit_chain.py

Prints: single-writer append latency (each append in its own transaction, as a service does),
throughput with concurrent writers (PostgreSQL only; SQLite has one writer), and how many
events per second `audit_verify` checks.
"""

from __future__ import annotations

import argparse
import threading
import time

from django.db import connection, transaction
from harness import throwaway_database
from stats import describe

from safepassage.audit import events
from safepassage.audit.services import audit_append
from safepassage.audit.verification import verify_chains
from safepassage.core.actors import SystemActor


def append_one(actor: SystemActor, n: int) -> None:
    with transaction.atomic():
        audit_append(
            actor=actor,
            event=events.VERIFICATION_REQUESTED,
            object_type="benchmark.item",
            object_id=str(n),
            payload={"n": n, "note": "a realistic small payload with a name: محمد"},
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()

    with throwaway_database() as vendor:
        print(f"database: {vendor}; events: {args.events}")
        actor = SystemActor("benchmark")
        latencies = []
        started = time.perf_counter()
        for n in range(args.events):
            before = time.perf_counter()
            append_one(actor, n)
            latencies.append((time.perf_counter() - before) * 1000)
        elapsed = time.perf_counter() - started
        print(f"append, 1 writer: {args.events / elapsed:,.0f} events/s; {describe(latencies)}")

        if vendor == "postgresql":
            per_writer = args.events // args.writers

            def write(worker: int) -> None:
                for n in range(per_writer):
                    append_one(SystemActor(f"benchmark-{worker}"), n)
                connection.close()

            threads = [threading.Thread(target=write, args=(w,)) for w in range(args.writers)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - started
            total = per_writer * args.writers
            print(
                f"append, {args.writers} concurrent writers: {total / elapsed:,.0f} events/s "
                "(serialised on the chain head, as designed)"
            )

        started = time.perf_counter()
        result = verify_chains()
        elapsed = time.perf_counter() - started
        print(
            f"verify: {result.events_checked:,} events in {elapsed:.2f} s "
            f"({result.events_checked / elapsed:,.0f} events/s); intact: {result.ok}"
        )


if __name__ == "__main__":
    main()
