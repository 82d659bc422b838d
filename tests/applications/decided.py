"""Helpers for tests of decisions: checks recorded as an officer's services would leave them."""

from __future__ import annotations

from safepassage.applications.models import Application, ApplicationCheck, CheckOutcome
from safepassage.core.models import User


def record_check(application: Application, kind: str, outcome: str, officer: User) -> None:
    """Make ``outcome`` the current ``kind`` check of the application."""
    ApplicationCheck.objects.filter(
        application=application, kind=kind, superseded_at__isnull=True
    ).update(superseded_at=application.updated_at)
    ApplicationCheck.objects.create(
        application=application,
        kind=kind,
        outcome=outcome,
        provider="test",
        started_by=officer,
        started_by_label=f"user:{officer.pk}",
        resolved_by=officer if outcome != CheckOutcome.PENDING else None,
    )


def checks_passed(application: Application, officer: User) -> None:
    record_check(application, "identity", CheckOutcome.PASSED, officer)
    record_check(application, "security", CheckOutcome.PASSED, officer)
