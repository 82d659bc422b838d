"""Uploading documents on the application's uploads page: what is kept, what is refused and
why, and removing an upload from a draft (marked, never deleted)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from safepassage.applications import events
from safepassage.applications.models import ApplicationDocument
from safepassage.audit.models import AuditEvent
from tests.applications.helpers import (
    TOO_LARGE,
    WRONG_TYPE,
    base_url,
    errors,
    executable_as_pdf,
    png_bytes,
    png_upload,
    sign_in_by_email,
    streamed,
    text,
    upload,
)
from tests.applications.journey import start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]


@pytest.fixture
def draft(client):
    sign_in_by_email(client, "amal@example.org")
    return start(client)


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_photo_is_accepted_cleaned_and_listed(client, draft, portal):
    base = base_url(draft)
    original = png_bytes()

    response = upload(client, base, SimpleUploadedFile("my passport.png", original, "image/png"))

    assert response.status_code == 302
    assert response["Location"] == f"{base}/uploads/"
    document = ApplicationDocument.objects.get()
    assert document.application == draft
    assert document.kind == "passport"
    assert document.content_type == "image/png"
    assert document.uploaded_by_label == f"applicant:{draft.applicant_id}"
    assert document.removed_at is None
    stored = portal / document.storage_name
    assert stored.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert document.size == stored.stat().st_size
    assert "my passport" not in document.storage_name
    with Image.open(io.BytesIO(stored.read_bytes())) as image:
        assert image.size == (40, 30)
    page = text(client.get(response["Location"]))
    assert "Document uploaded." in page
    assert "Passport" in page
    assert "PNG" in page
    assert "Passport" in text(client.get(f"{base}/check/"))
    assert AuditEvent.objects.filter(action=events.DOCUMENT_UPLOADED.code).count() == 1


def test_a_program_named_as_a_pdf_is_refused(client, draft, portal):
    response = upload(client, base_url(draft), executable_as_pdf())

    assert response.status_code == 200
    assert errors(response) == [WRONG_TYPE]
    assert not ApplicationDocument.objects.exists()
    assert stored_files(portal) == []


def test_a_file_over_10_mb_is_refused(client, draft, portal):
    eleven_mb = png_bytes() + b"\x00" * (11 * 1024 * 1024)

    response = upload(client, base_url(draft), SimpleUploadedFile("scan.png", eleven_mb))

    assert response.status_code == 200
    assert errors(response) == [TOO_LARGE]
    assert not ApplicationDocument.objects.exists()
    assert stored_files(portal) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Select what kind of document this is"),
        ({"file": ""}, "Select a file"),
        ({"file": SimpleUploadedFile("empty.png", b"")}, "The selected file is empty"),
    ],
)
def test_an_upload_needs_a_kind_and_a_file(client, draft, data, message):
    fields = {"action": "upload", "kind": "passport", "file": png_upload(), **data}

    response = client.post(f"{base_url(draft)}/uploads/", fields)

    assert response.status_code == 200
    assert errors(response) == [message]
    assert not ApplicationDocument.objects.exists()


def test_removing_an_upload_from_a_draft_marks_it_and_keeps_the_file(client, draft, portal):
    base = base_url(draft)
    upload(client, base, png_upload())
    document = ApplicationDocument.objects.get()
    opened = client.get(f"{base}/documents/{document.pk}/")
    assert opened.status_code == 200
    streamed(opened)

    response = client.post(f"{base}/uploads/", {"action": f"remove:{document.pk}"})

    assert response["Location"] == f"{base}/uploads/"
    document.refresh_from_db()
    assert document.removed_at is not None
    assert (portal / document.storage_name).exists()
    page = client.get(f"{base}/uploads/")
    assert "Document removed." in text(page)
    assert f'value="remove:{document.pk}"' not in page.content.decode()
    assert client.get(f"{base}/documents/{document.pk}/").status_code == 404
    removed = AuditEvent.objects.get(action=events.DOCUMENT_REMOVED.code)
    assert removed.payload == {"document_id": document.pk}


def test_uploads_page_continues_to_the_next_question(client, draft):
    base = base_url(draft)

    response = client.post(f"{base}/uploads/", {"action": "continue"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["uploads"] == {"done": True}


def test_a_document_can_be_added_after_sending_but_not_removed(client, draft, portal):
    from tests.applications.helpers import answer_pages, send

    base = base_url(draft)
    answer_pages(client, base)
    send(client, base)
    draft.refresh_from_db()
    status = text(client.get(f"{base}/status/"))
    assert "Upload another document" in status

    response = upload(client, base, png_upload())

    assert response.status_code == 302
    document = ApplicationDocument.objects.get(application=draft)
    page = client.get(f"{base}/uploads/").content.decode()
    assert f'value="remove:{document.pk}"' not in page
    assert client.post(f"{base}/uploads/", {"action": f"remove:{document.pk}"}).status_code == 200
    document.refresh_from_db()
    assert document.removed_at is None
    assert client.post(f"{base}/uploads/", {"action": "continue"})["Location"] == f"{base}/status/"


def test_no_document_can_be_added_after_withdrawing(client, draft, portal):
    from tests.applications.helpers import answer_pages, send

    base = base_url(draft)
    answer_pages(client, base)
    send(client, base)
    client.post(f"{base}/withdraw/", {"confirm": "on"})

    assert client.get(f"{base}/uploads/")["Location"] == f"{base}/status/"
    assert "Upload another document" not in text(client.get(f"{base}/status/"))
