"""The facts the policy gate sees for an asylum case (POLICY.md §4).

This is the only place that turns a case into facts, so that what the gate decides on can be
shown beside the action ("what the gate sees") and a wrong fact traced to its record: the
person's current identity, the registration (claimed minor, accompanied), the vulnerability
indicators, and the screening interview with the officer's accreditations on the day.

Referrals and detention have no records until the safeguarding issue: the facts say what the
records say (none made, not detained), never a guess.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from safepassage.cases.models import AsylumCase, ChildStatus
from safepassage.people.selectors import current_identity, resolve
from safepassage.workforce.selectors import accreditations_held

if TYPE_CHECKING:
    from safepassage.core.models import User

DOB_LENGTH = {"year": 4, "month": 7, "day": 10}


def case_facts(
    case: AsylumCase,
    *,
    on: date,
    screening: dict[str, Any] | None = None,
    officer: User | None = None,
) -> dict[str, Any]:
    """The gate's facts for ``case`` on ``on``. ``screening`` is the interview's part, built by
    the screening app (``screening.facts.interview_facts``); ``officer`` is whose accreditations
    count (the interviewer), when no interview says so yet."""
    facts: dict[str, Any] = {
        "on": on.isoformat(),
        "person": _person(case),
        "vulnerabilities": [
            {"category": category, "evidence_level": level}
            for category, level in case.vulnerability_indicators.values_list(
                "category", "evidence_level"
            ).order_by("category", "evidence_level")
        ],
        "referrals": {
            "nrm": "none",
            "age_assessment": "none",
            "rule35": "none",
            "local_authority": "none",
        },
        "detention": {"detained": False, "facility": "none", "hours": 0},
    }
    if screening is None:
        screening = {"status": "not_started"}
    if officer is not None and "officer_accreditations" not in screening:
        held = accreditations_held(holder=officer, on=on)
        screening = {**screening, "officer_accreditations": sorted(held)}
    facts["screening"] = screening
    if any(item["category"] == "pregnancy" for item in facts["vulnerabilities"]):
        facts["person"]["pregnant"] = True
    return facts


def _person(case: AsylumCase) -> dict[str, Any]:
    person: dict[str, Any] = {
        "claimed_minor": case.claims_minor,
        "age_assessment": "none",
    }
    if case.is_child:
        person["accompanied"] = case.child_status != ChildStatus.UNACCOMPANIED_CHILD
    identity = current_identity(resolve(case.person))
    if identity is not None:
        if identity.sex:
            person["sex"] = identity.sex
        if identity.date_of_birth and identity.dob_precision:
            person["date_of_birth"] = identity.date_of_birth.isoformat()[
                : DOB_LENGTH[identity.dob_precision]
            ]
    return person
