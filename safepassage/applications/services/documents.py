"""Uploading documents to an application, and removing them from a draft.

The file is checked by its content and re-encoded (applications.uploads) and stored under a
random name outside every public URL (applications.storage) before a row points at it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    DocumentKind,
)
from safepassage.applications.selectors import require_can_act_for
from safepassage.applications.storage import private_storage, store_clean_file
from safepassage.applications.uploads import inspect_upload
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, actor_label
from safepassage.core.errors import Conflict, ValidationFailed

MAX_DOCUMENTS = 20
OPEN_FOR_DOCUMENTS = (ApplicationStatus.DRAFT, *UNDECIDED_STATUSES)


def document_upload(
    *, actor: Actor, application: Application, kind: str, upload: Any
) -> ApplicationDocument:
    require_can_act_for(actor, application)
    if kind not in DocumentKind.values:
        raise ValidationFailed(_("Select what kind of document this is"), field="kind")
    clean = inspect_upload(upload, field="file")
    name = store_clean_file(clean)
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.status not in OPEN_FOR_DOCUMENTS:
                raise Conflict(_("You cannot add documents to this application any more."))
            if locked.documents.filter(removed_at__isnull=True).count() >= MAX_DOCUMENTS:
                raise ValidationFailed(
                    _("You can upload up to %(count)s documents.") % {"count": MAX_DOCUMENTS},
                    field="file",
                )
            document = ApplicationDocument.objects.create(
                application=locked,
                kind=kind,
                storage_name=name,
                content_type=clean.content_type,
                size=clean.size,
                sha256=clean.sha256,
                uploaded_by_label=actor_label(actor),
            )
            audit_append(
                actor=actor,
                event=events.DOCUMENT_UPLOADED,
                target=locked,
                payload={"document_id": document.pk, "kind": kind, "size": clean.size},
            )
    except BaseException:
        private_storage().delete(name)
        raise
    return document


def document_remove(*, actor: Actor, document: ApplicationDocument) -> ApplicationDocument:
    """Mark a draft's upload as removed. The file and the row are kept: nothing is deleted."""
    require_can_act_for(actor, document.application)
    with transaction.atomic():
        locked = ApplicationDocument.objects.select_for_update().get(pk=document.pk)
        if locked.application.status != ApplicationStatus.DRAFT:
            raise Conflict(_("Documents on a sent application cannot be removed."))
        if locked.removed_at is None:
            locked.removed_at = timezone.now()
            locked.save(update_fields=["removed_at"])
            audit_append(
                actor=actor,
                event=events.DOCUMENT_REMOVED,
                target=locked.application,
                payload={"document_id": locked.pk},
            )
    return locked
