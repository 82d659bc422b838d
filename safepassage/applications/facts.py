"""The facts the policy gate sees for a visa application (POLICY.md §4).

This is the only place that turns an application into facts, so that what the gate decided on
can be shown to the decision maker ("what the gate sees") and a wrong fact traced to its source:
the applicant's answers (date of birth, declared vulnerabilities) and the current checks.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from safepassage.applications.models import Application, CheckKind, CheckOutcome
from safepassage.policy.facts import VULNERABILITY_CODES


def application_facts(
    application: Application, *, on: date, checks: dict[str, str] | None = None
) -> dict[str, Any]:
    """The gate's facts for ``application`` on the day ``on``. ``checks`` maps a check kind to its
    current outcome; read from the database when not given."""
    if checks is None:
        checks = current_check_outcomes(application)
    declared = application.answers.get("vulnerability", {}).get("vulnerabilities", [])
    person: dict[str, Any] = {
        # An applicant who gave a date of birth under 18 claims to be a child; no age
        # assessment happens before travel.
        "claimed_minor": application.is_child,
        "age_assessment": "none",
    }
    if application.date_of_birth:
        person["date_of_birth"] = application.date_of_birth
    return {
        "on": on.isoformat(),
        "person": person,
        # What the applicant told us is evidence level 1 (self-declared).
        "vulnerabilities": [
            {"category": code, "evidence_level": 1}
            for code in declared
            if code in VULNERABILITY_CODES
        ],
        "checks": {kind: checks.get(kind, CheckOutcome.PENDING.value) for kind in CheckKind.values},
    }


def current_check_outcomes(application: Application) -> dict[str, str]:
    return dict(
        application.checks.filter(superseded_at__isnull=True).values_list("kind", "outcome")
    )
