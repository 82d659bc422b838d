"""What every check run does first, whatever the check: it replaces the current run of its kind
(kept, marked superseded) and, for an application nobody has started on, starts the checks."""

from __future__ import annotations

from datetime import datetime

from safepassage.applications.lifecycle import move
from safepassage.applications.models import Application, ApplicationCheck, ApplicationStatus
from safepassage.core.actors import Actor


def supersede_current_run(
    locked: Application, kind: str, *, actor: Actor, now: datetime
) -> ApplicationCheck | None:
    """Inside the caller's transaction, with the application locked. Returns the run replaced."""
    current = (
        ApplicationCheck.objects.select_for_update()
        .filter(application=locked, kind=kind, superseded_at__isnull=True)
        .first()
    )
    if current is not None:
        current.superseded_at = now
        current.save(update_fields=["superseded_at"])
    if locked.status == ApplicationStatus.RECEIVED:
        move(locked, ApplicationStatus.CHECKS_IN_PROGRESS, actor=actor)
    return current
