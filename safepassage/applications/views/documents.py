"""Opening an uploaded document: never from a public URL, always through a permission check."""

from __future__ import annotations

import uuid

from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase

from safepassage.applications import events, selectors
from safepassage.applications.models import ApplicationDocument
from safepassage.applications.storage import open_stored
from safepassage.applications.views.portal import actor_required
from safepassage.audit.services import audit_append
from safepassage.core.actors import request_actor
from safepassage.core.errors import NotFound
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import permission_required


def private_file_headers(
    response: HttpResponseBase, *, framed: bool, sandboxed_policy: str
) -> None:
    """A private file is never cached nor sniffed. ``framed``: a PDF shown in a frame of the case
    view's own pages, with the browser's viewer (which a sandboxed document may not use);
    otherwise it is shown under ``sandboxed_policy``."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if framed:
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    else:
        response["Content-Security-Policy"] = sandboxed_policy


def _file_response(
    document: ApplicationDocument, *, download: bool, preview: bool = False
) -> FileResponse:
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
        document.content_type, "bin"
    )
    response = FileResponse(
        open_stored(document.storage_name),
        content_type=document.content_type,
        as_attachment=download,
        filename=f"document-{document.pk}.{extension}",
    )
    # A framed PDF's scripts were refused at upload; any other document, shown inline, runs
    # nothing and reaches nothing.
    private_file_headers(
        response,
        framed=preview and document.content_type == "application/pdf",
        sandboxed_policy="default-src 'none'; img-src 'self'; sandbox",
    )
    return response


@actor_required
def own_document(request: HttpRequest, public_id: uuid.UUID, document_id: int) -> FileResponse:
    """The applicant's (or their partner's) own upload."""
    actor = request.portal_actor  # type: ignore[attr-defined]
    application = selectors.application_get(actor, public_id)
    document = selectors.document_get(actor, application, document_id)
    if document.removed_at is not None:
        raise NotFound()
    return _file_response(document, download=request.GET.get("download") == "1")


@permission_required(Perm.VIEW_APPLICATION)
def staff_document(request: HttpRequest, public_id: uuid.UUID, document_id: int) -> FileResponse:
    user = request_actor(request)
    application = selectors.application_get(user, public_id)
    document = selectors.document_get(user, application, document_id)
    audit_append(
        actor=user,
        event=events.DOCUMENT_DOWNLOADED,
        target=application,
        payload={"document_id": document.pk},
    )
    return _file_response(
        document,
        download=request.GET.get("download") == "1",
        preview=request.GET.get("preview") == "1",
    )
