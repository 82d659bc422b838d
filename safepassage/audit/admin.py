"""The audit log in the Django admin: read-only, always."""

from django.contrib import admin

from safepassage.audit.models import AuditEvent, AuditVerification, ChainHead
from safepassage.core.admin_base import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = [
        "stream",
        "sequence",
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["stream", "action"]
    search_fields = ["object_type", "object_id", "actor_label"]
    ordering = ["-occurred_at"]


@admin.register(AuditVerification)
class AuditVerificationAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "trigger", "ok", "events_checked", "problem"]


@admin.register(ChainHead)
class ChainHeadAdmin(ReadOnlyAdmin):
    list_display = ["stream", "sequence", "hash"]
