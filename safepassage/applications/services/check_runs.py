"""What every check run does first, whatever the check: it replaces the current run of its kind
(kept, marked superseded) and, for an application nobody has started on, starts the checks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from safepassage.applications.lifecycle import move
from safepassage.applications.models import Application, ApplicationCheck, ApplicationStatus
from safepassage.core.actors import Actor, actor_label, staff_user


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


def start_run(
    locked: Application, kind: str, *, actor: Actor, **fields: Any
) -> tuple[ApplicationCheck, ApplicationCheck | None]:
    """A new current run of the check, started by ``actor`` now with ``fields`` (its outcome,
    provider, evidence...), in place of the current one. Inside the caller's transaction, with
    the application locked. Returns the new run and the run it replaced."""
    now = timezone.now()
    superseded = supersede_current_run(locked, kind, actor=actor, now=now)
    check = ApplicationCheck.objects.create(
        application=locked,
        kind=kind,
        started_by=staff_user(actor),
        started_by_label=actor_label(actor),
        started_at=now,
        **fields,
    )
    return check, superseded
