"""Facts for tests: a person the gate has nothing against, and one fact changed at a time."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from safepassage.policy.engine import Verdict
from safepassage.policy.facts import parse_facts
from safepassage.policy.packs.uk import PACK

ON = date(2026, 11, 23)

CLEAR: dict[str, Any] = {
    "person": {
        "date_of_birth": "1990-03-14",
        "claimed_minor": False,
        "age_assessment": "none",
        "accompanied": True,
        "sex": "M",
        "pregnant": False,
    },
    "vulnerabilities": [],
    "referrals": {
        "nrm": "none",
        "age_assessment": "none",
        "rule35": "none",
        "local_authority": "none",
    },
    "screening": {
        "status": "completed",
        "mandatory_sections_complete": True,
        "language_confirmed": True,
        "interpreter_used": True,
        "interpreter_declaration": True,
        "understanding_confirmed": True,
        "read_back_confirmed": True,
        "officer_accreditations": ["screening"],
        "responsible_adult_present": False,
        "interpreter_is_recorder": False,
    },
    "detention": {"detained": False, "facility": "none", "hours": 0},
    "notices": {
        "inadmissibility_intent_served_on": "2026-11-01",
        "removal_served_on": "2026-11-01",
    },
    "checks": {"identity": "passed", "security": "passed"},
    "public_protection_concern": False,
}


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``base`` with ``changes`` laid over it; a None value deletes the key."""
    result = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def verdict(action: str, changes: dict[str, Any] | None = None, on: date = ON) -> Verdict:
    return PACK.evaluate(action, parse_facts(merge(CLEAR, changes or {})), on)


def finding_rules(result: Verdict) -> dict[str, str]:
    """rule id -> effect, for the findings of a verdict."""
    return {finding.rule.id: str(finding.rule.effect) for finding in result.findings}
