"""A decision maker works the queue of visa applications in a real browser: the order is
shown, a family with a child comes first, the case opens with the photo previewed, and they
take it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Page, expect

from safepassage.applications.services.documents import document_upload
from safepassage.core.actors import SystemActor
from safepassage.core.roles import Role
from tests.applications.sent import sent
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (30, 90, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("passport.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_decision_maker_opens_the_first_application_and_takes_it(
    page: Page, live_server, make_user, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    sent(1, days_ago=6)
    family = sent(2, children=1, days_ago=1)
    document_upload(
        actor=SystemActor("tests"), application=family, kind="passport", upload=_photo()
    )
    officer = make_user(Role.DECISION_MAKER)
    sign_in(page, live_server.url, officer.username, PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Visa applications"
    ).click()
    assert_accessible(page)
    expect(page.get_by_test_id("queue-order")).to_contain_text(
        "Applications with a child come first"
    )
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(str(family.reference))
    expect(rows.first).to_contain_text("Child")

    page.get_by_label("Vulnerability declared").select_option("yes")
    page.get_by_role("button", name="Apply filters").click()
    assert_accessible(page)

    page.goto(f"{live_server.url}/applications/")
    rows.first.get_by_role("link").click()
    assert_accessible(page)
    child_reference = str(family.family_members.get().reference)
    expect(page.get_by_test_id("family")).to_contain_text(child_reference)
    image = page.get_by_test_id("document").locator("img")
    expect(image).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", image.element_handle()) == 120
    page.get_by_role("button", name="Take this application").click()
    expect(page.get_by_test_id("assigned-to")).to_contain_text(officer.full_name)
