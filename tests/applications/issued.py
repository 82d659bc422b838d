"""Issued decisions for tests, made as the decision service leaves them (gate evaluation stored,
verification code, validity, the application decided), without going through its steps."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safepassage.applications.facts import application_facts
from safepassage.applications.models import (
    Application,
    Decision,
    DecisionOutcome,
    DecisionState,
)
from safepassage.applications.verification_codes import new_verification_code
from safepassage.core.actors import SystemActor
from safepassage.core.models import User
from safepassage.policy.services import london_today, policy_evaluate
from tests.applications.sent import sent

SYSTEM = SystemActor("tests")
REASONS = ["identity-not-established", "false-information"]
EXPLANATION = "The passport you sent was issued to someone with a different date of birth."


def named(number: int, language: str) -> Application:
    """A sent application with a name in Latin letters and in the applicant's own script."""
    application = sent(number, language=language, given_names="Amal", family_name="Haddad")
    original = {"ar": ("أمل", "حداد"), "fa": ("امل", "حداد"), "ti": ("ኣማል", "ሓዳድ")}
    given, family = original.get(language, ("", ""))
    application.answers["name"].update(
        {"given_names_original": given, "family_name_original": family}
    )
    application.answers["language"] = {"preferred_language": language, "other_language": ""}
    Application.objects.filter(pk=application.pk).update(answers=application.answers)
    return application


def issue(
    application: Application,
    officer: User,
    outcome: str = DecisionOutcome.GRANT,
    *,
    reasons: list[str] | None = None,
    explanation: str = "",
    state: str = DecisionState.ISSUED,
    valid_until_days: int = 90,
) -> Decision:
    """A decision as the decision service leaves it: gate evaluation stored, code, validity,
    and the application decided."""
    today = london_today()
    grant = outcome == DecisionOutcome.GRANT
    issued = state == DecisionState.ISSUED
    evaluation = policy_evaluate(
        actor=SYSTEM,
        action="grant_visa" if grant else "refuse_visa",
        subject=application,
        facts=application_facts(application, on=today),
    )
    decision = Decision.objects.create(
        application=application,
        outcome=outcome,
        state=state,
        reasons=[] if grant else (reasons if reasons is not None else REASONS),
        explanation="" if grant else (explanation or EXPLANATION),
        proposed_by=officer,
        evaluation=evaluation,
        issued_at=timezone.now() if issued else None,
        # An expired grant was issued long enough ago for its validity to have run out.
        valid_from=today + timedelta(days=min(0, valid_until_days - 90))
        if grant and issued
        else None,
        valid_until=today + timedelta(days=valid_until_days) if grant and issued else None,
        verification_code=new_verification_code() if issued else None,
    )
    if issued:
        Application.objects.filter(pk=application.pk).update(status="decided")
    return decision
