"""Decision letters in a real browser: the public verification page (English and Arabic, phone
and desktop) and the applicant's status page with their letters, each checked by axe-core.

Set LETTER_SCREENSHOTS to a folder to also save screenshots of them, for a reviewer.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, ViewportSize, expect

from safepassage.applications.letters import letters_store
from safepassage.applications.models import DecisionOutcome
from safepassage.core.roles import Role
from tests.applications.issued import issue, named
from tests.e2e.conftest import assert_accessible

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 640}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SCREENSHOTS = os.environ.get("LETTER_SCREENSHOTS", "")


@pytest.fixture
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def screenshot(page: Page, name: str) -> None:
    if not SCREENSHOTS:
        return
    folder = Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        page.screenshot(path=folder / f"{name}-{size['width']}.png", full_page=True)


def fits_the_screen(page: Page) -> None:
    page.set_viewport_size(PHONE)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than a phone"


@pytest.mark.parametrize("language", ["en", "ar"])
def test_checking_a_code_on_the_public_page(page: Page, live_server, make_user, language):
    officer = make_user(Role.DECISION_MAKER)
    decision = issue(named(1, "en"), officer, valid_until_days=-1)
    code = decision.verification_code
    assert code is not None
    if language == "ar":
        page.goto(f"{live_server.url}/language/ar/?next=/verify/")
    else:
        page.goto(f"{live_server.url}/verify/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)
    fits_the_screen(page)
    screenshot(page, f"verify-{language}")

    page.locator("#id_code").fill("K7QM-2XHD")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    screenshot(page, f"verify-malformed-{language}")

    page.locator("#id_code").fill(code.lower().replace("-", " "))
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("result")).to_be_visible()
    expect(page.get_by_test_id("permission-ended")).to_be_visible()
    assert page.url.removeprefix(live_server.url) == "/verify/"  # the code is not in the URL
    assert_accessible(page)
    fits_the_screen(page)
    screenshot(page, f"verify-valid-{language}")


def test_the_applicant_sees_the_decision_and_downloads_the_letter(
    page: Page, live_server, make_user, private_media
):
    officer = make_user(Role.DECISION_MAKER)
    application = named(2, "ar")
    decision = issue(application, officer, DecisionOutcome.GRANT)
    letters_store(decision)
    page.goto(f"{live_server.url}/apply/sign-in/")
    page.locator("#id_contact").fill("a2@example.org")
    page.locator("main button[type=submit]").click()
    match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert match
    page.locator("#id_code").fill(match.group(1))
    page.locator("main button[type=submit]").click()
    page.goto(f"{live_server.url}/apply/application/{application.public_id}/status/")

    expect(page.get_by_test_id("decision-outcome")).to_be_visible()
    links = page.get_by_test_id("letters").locator("a")
    expect(links).to_have_count(2)
    assert_accessible(page)
    fits_the_screen(page)
    screenshot(page, "status-decided-en")

    with page.expect_download() as download:
        links.nth(1).click()
    assert download.value.suggested_filename == f"decision-{application.reference}-ar.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
