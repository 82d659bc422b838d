"""How fast the policy gate answers, in process, on a realistic mix of facts.

    .venv/bin/python benchmarks/policy_gate.py [--verdicts 50000] [--seed 7]

Each verdict parses the facts (as `policy_check` and the API do) and evaluates every rule in
force for the action. Prints verdicts per second on one core and the latency percentiles.
Targets (issue 4): p99 < 2 ms and at least 5,000 verdicts/s.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

import harness  # noqa: F401 (sets Django up)
from stats import describe

from safepassage.policy.facts import VULNERABILITY_CODES, parse_facts
from safepassage.policy.packs.uk import ACTIONS, PACK

ON = date(2026, 11, 23)


def realistic_facts(rng: random.Random) -> dict[str, Any]:
    """Facts shaped like the case selector's: mostly adults, some children and claimed minors,
    a third with vulnerabilities, a few trafficking referrals, some detained."""
    age = rng.choice([15, 16, 17, 19, 22, 25, 28, 31, 35, 42, 55, 71])
    born = ON - timedelta(days=age * 365 + rng.randint(0, 364))
    vulnerabilities = [
        {"category": rng.choice(VULNERABILITY_CODES), "evidence_level": rng.choice([1, 1, 2, 3])}
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3]))
    ]
    detained = rng.random() < 0.3
    return {
        "on": ON.isoformat(),
        "person": {
            "date_of_birth": born.isoformat(),
            "claimed_minor": age < 18 or rng.random() < 0.05,
            "age_assessment": rng.choice(["none", "none", "pending", "adult"]),
            "accompanied": rng.random() < 0.7,
            "sex": rng.choice(["F", "M"]),
            "pregnant": rng.random() < 0.03,
        },
        "vulnerabilities": vulnerabilities,
        "referrals": {
            "nrm": rng.choice(["none"] * 8 + ["consented_referral", "positive_reasonable_grounds"]),
            "nrm_decision_date": (ON - timedelta(days=rng.randint(0, 60))).isoformat(),
            "age_assessment": rng.choice(["none", "none", "requested", "concluded"]),
            "rule35": rng.choice(["none", "none", "requested", "received"]),
            "local_authority": rng.choice(["none", "made"]),
        },
        "screening": {
            "status": rng.choice(["not_started", "in_progress", "completed", "completed"]),
            "mandatory_sections_complete": rng.random() < 0.8,
            "language_confirmed": rng.random() < 0.9,
            "interpreter_used": rng.random() < 0.85,
            "interpreter_declaration": rng.random() < 0.9,
            "understanding_confirmed": rng.random() < 0.9,
            "read_back_confirmed": rng.random() < 0.85,
            "officer_accreditations": rng.choice(
                [["screening"], ["screening", "child_interviews"], []]
            ),
            "responsible_adult_present": rng.random() < 0.5,
            "interpreter_is_recorder": False,
        },
        "detention": {
            "detained": detained,
            "facility": rng.choice(["short_term_holding", "removal_centre"])
            if detained
            else "none",
            "hours": rng.choice([2, 12, 24, 30, 72, 100]) if detained else 0,
        },
        "notices": {
            "inadmissibility_intent_served_on": (
                ON - timedelta(days=rng.randint(0, 20))
            ).isoformat(),
            "removal_served_on": (ON - timedelta(days=rng.randint(0, 10))).isoformat(),
        },
        "checks": {
            "identity": rng.choice(["pending", "passed", "passed"]),
            "security": rng.choice(["pending", "passed", "passed", "failed"]),
        },
        "public_protection_concern": rng.random() < 0.1,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verdicts", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = [(rng.choice(ACTIONS), realistic_facts(rng)) for _ in range(2_000)]
    for action, facts in work[:200]:  # warm up: holidays tables, caches
        PACK.evaluate(action, parse_facts(facts), ON)

    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    gc.disable()
    started = time.perf_counter()
    for index in range(args.verdicts):
        action, facts = work[index % len(work)]
        before = time.perf_counter()
        verdict = PACK.evaluate(action, parse_facts(facts), ON)
        latencies.append((time.perf_counter() - before) * 1000)
        outcomes[verdict.outcome] += 1
    elapsed = time.perf_counter() - started
    gc.enable()

    print(f"pack {PACK.label}; {args.verdicts:,} verdicts over {len(work):,} distinct fact sets")
    print(f"throughput: {args.verdicts / elapsed:,.0f} verdicts/s on one core")
    print(f"latency per verdict (parse + evaluate): {describe(latencies)}")
    print("outcomes: " + ", ".join(f"{name} {count:,}" for name, count in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
