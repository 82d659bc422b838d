"""The append-only, hash-chained event log.

Events form chains, one per stream: ``change`` for every write, ``access`` for reads of
people's records (kept apart so that reading never waits on writing). Each event carries the
hash of the one before it; ``ChainHead`` holds the latest of each stream and is locked for
every append, which serialises writers and lets verification notice a truncated tail.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.hashing import EventContent


class AppendOnlyError(RuntimeError):
    pass


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnlyError("audit events are append-only: they cannot be changed or deleted")


class Stream(models.TextChoices):
    CHANGE = "change", _("Changes")
    ACCESS = "access", _("Record reads")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    bulk_create = _refuse
    update_or_create = _refuse


class AuditEvent(models.Model):
    stream = models.CharField(max_length=16, choices=Stream.choices)
    sequence = models.PositiveBigIntegerField()
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=80)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    payload_json = models.TextField(default="{}")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["stream", "sequence"]
        default_permissions = ()
        permissions = [
            ("view_audit_log", "Can read the audit log"),
            ("verify_audit_chain", "Can verify the audit chain"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["stream", "sequence"], name="audit_event_stream_seq"),
        ]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
            models.Index(fields=["actor", "occurred_at"], name="audit_event_actor"),
            models.Index(fields=["action", "occurred_at"], name="audit_event_action"),
        ]

    def __str__(self) -> str:
        return f"{self.stream}#{self.sequence} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse()

    @property
    def payload(self) -> Any:
        return json.loads(self.payload_json)

    def content(self) -> EventContent:
        return EventContent(
            stream=self.stream,
            sequence=self.sequence,
            occurred_at=self.occurred_at,
            actor_id=self.actor_id,
            actor_label=self.actor_label,
            action=self.action,
            object_type=self.object_type,
            object_id=self.object_id,
            payload_json=self.payload_json,
            prev_hash=self.prev_hash,
        )


class ChainHead(models.Model):
    stream = models.CharField(max_length=16, choices=Stream.choices, primary_key=True)
    sequence = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.stream} head #{self.sequence}"


class VerificationTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("Nightly")
    REQUESTED = "requested", _("Requested")
    COMMAND = "command", _("Command line")


class AuditVerification(models.Model):
    """The record of one end-to-end verification of every chain."""

    trigger = models.CharField(max_length=16, choices=VerificationTrigger.choices)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField()
    ok = models.BooleanField()
    events_checked = models.PositiveBigIntegerField()
    heads = models.JSONField(default=dict)
    first_bad_stream = models.CharField(max_length=16, blank=True)
    first_bad_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    first_bad_event_id = models.BigIntegerField(null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-started_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"verification {self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"
