"""Writing to the audit log. Called by every service, inside that service's transaction."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from safepassage.audit import events
from safepassage.audit.hashing import GENESIS_HASH, EventContent, canonical_json
from safepassage.audit.models import (
    AuditEvent,
    AuditVerification,
    ChainHead,
    Stream,
    VerificationTrigger,
)
from safepassage.audit.registry import EventType, lookup
from safepassage.audit.verification import verify_chains
from safepassage.core.actors import Actor, SystemActor, actor_label, staff_user
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm


def _locked_head(stream: str) -> ChainHead:
    """Lock the stream's head row; every append holds it until its transaction ends."""
    head = ChainHead.objects.select_for_update().filter(stream=stream).first()
    if head is not None:
        return head
    # The head is made by a migration; it is rebuilt from the last event if it is ever missing
    # (a flushed test database), so that a rebuilt head can never fork the chain.
    last = AuditEvent.objects.filter(stream=stream).order_by("-sequence").first()
    ChainHead.objects.bulk_create(
        [
            ChainHead(
                stream=stream,
                sequence=last.sequence if last else 0,
                hash=last.hash if last else GENESIS_HASH,
            )
        ],
        ignore_conflicts=True,
    )
    return ChainHead.objects.select_for_update().get(stream=stream)


def _object_ref(target: models.Model | None, object_type: str, object_id: str) -> tuple[str, str]:
    if target is not None:
        return target._meta.label_lower, str(target.pk)
    return object_type, object_id


def audit_append(
    *,
    actor: Actor | None,
    event: EventType,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    payload: dict[str, Any] | None = None,
    stream: str = Stream.CHANGE,
) -> AuditEvent:
    """Append one event to a chain. Joins the caller's transaction, so the event and the change
    it records commit or roll back together."""
    lookup(event.code)  # only registered events
    object_type, object_id = _object_ref(target, object_type, object_id)
    with transaction.atomic():
        head = _locked_head(stream)
        content = EventContent(
            stream=stream,
            sequence=head.sequence + 1,
            occurred_at=timezone.now(),
            actor_id=None if actor is None or isinstance(actor, SystemActor) else actor.pk,
            actor_label=actor_label(actor),
            action=event.code,
            object_type=object_type,
            object_id=object_id,
            payload_json=canonical_json(payload or {}),
            prev_hash=head.hash,
        )
        digest = content.digest()
        audit_event = AuditEvent(
            stream=content.stream,
            sequence=content.sequence,
            occurred_at=content.occurred_at,
            actor_id=content.actor_id,
            actor_label=content.actor_label,
            action=content.action,
            object_type=content.object_type,
            object_id=content.object_id,
            payload_json=content.payload_json,
            prev_hash=content.prev_hash,
            hash=digest,
        )
        audit_event.save()
        ChainHead.objects.filter(stream=stream).update(sequence=content.sequence, hash=digest)
    return audit_event


def record_read(*, actor: Actor, target: models.Model, purpose: str = "view") -> AuditEvent:
    """Record that ``actor`` opened a person's record. Goes to the access stream."""
    return audit_append(
        actor=actor,
        event=events.RECORD_READ,
        target=target,
        payload={"purpose": purpose},
        stream=Stream.ACCESS,
    )


def audit_chain_verify(*, actor: Actor, trigger: str) -> AuditVerification:
    """Verify every chain end to end and keep the result."""
    require_permission(actor, Perm.VERIFY_AUDIT_CHAIN)
    if trigger not in VerificationTrigger.values:
        raise ValueError(f"unknown verification trigger {trigger!r}")
    started_at = timezone.now()
    result = verify_chains()
    bad = result.first_bad
    with transaction.atomic():
        verification = AuditVerification.objects.create(
            trigger=trigger,
            started_at=started_at,
            finished_at=timezone.now(),
            ok=result.ok,
            events_checked=result.events_checked,
            heads=result.heads,
            first_bad_stream=bad.stream if bad else "",
            first_bad_sequence=bad.sequence if bad else None,
            first_bad_event_id=bad.event_id if bad else None,
            problem=bad.describe()[:300] if bad else "",
            requested_by=staff_user(actor),
        )
        audit_append(
            actor=actor,
            event=events.CHAIN_VERIFIED,
            target=verification,
            payload={
                "ok": result.ok,
                "events_checked": result.events_checked,
                "trigger": trigger,
                "first_bad_event_id": bad.event_id if bad else None,
            },
        )
    return verification


def audit_verification_request(*, actor: Actor) -> None:
    """Ask the task worker to verify the chains now, on behalf of ``actor``."""
    require_permission(actor, Perm.VERIFY_AUDIT_CHAIN)
    from safepassage.audit.tasks import request_verification  # the task calls back into here

    with transaction.atomic():
        audit_append(actor=actor, event=events.VERIFICATION_REQUESTED)
        requested_by_id = actor.pk
        if requested_by_id is not None:
            transaction.on_commit(lambda: request_verification(requested_by_id=requested_by_id))
