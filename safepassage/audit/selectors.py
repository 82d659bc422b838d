"""Reading the audit log, for auditors and administrators. Pseudonymous: actors by id only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from safepassage.audit.models import AuditEvent, AuditVerification
from safepassage.core.actors import Actor
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm

LONDON = ZoneInfo("Europe/London")


def audit_event_list(
    *,
    actor: Actor,
    stream: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_label: str = "",
    on_or_after: date | None = None,
    on_or_before: date | None = None,
) -> QuerySet[AuditEvent]:
    require_permission(actor, Perm.VIEW_AUDIT_LOG)
    events = AuditEvent.objects.all()
    if stream:
        events = events.filter(stream=stream)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if actor_label:
        events = events.filter(actor_label=actor_label)
    if on_or_after:
        events = events.filter(
            occurred_at__gte=datetime.combine(on_or_after, time(), tzinfo=LONDON)
        )
    if on_or_before:
        end = datetime.combine(on_or_before + timedelta(days=1), time(), tzinfo=LONDON)
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-occurred_at", "-id")


def audit_verification_list(*, actor: Actor) -> QuerySet[AuditVerification]:
    require_permission(actor, Perm.VIEW_AUDIT_LOG)
    return AuditVerification.objects.order_by("-started_at")
