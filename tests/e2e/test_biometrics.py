"""Booking a biometrics appointment in a real browser, on a phone-sized screen, in English and
in Arabic: every page checked by axe-core, right to left in Arabic, and no wider than the phone.

Set BIOMETRICS_SCREENSHOTS to a folder to also save screenshots, for a reviewer.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, ViewportSize, expect

from safepassage.applications.models import BiometricAppointment
from safepassage.core.roles import Role
from tests.applications.test_biometrics import make_centre, needing_biometrics
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 640}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SCREENSHOTS = os.environ.get("BIOMETRICS_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def checked(page: Page, name: str, *, rtl: bool) -> None:
    """Accessible, right to left when it should be, and no wider than a phone."""
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if rtl else "ltr")
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} is {overflow}px wider than a phone"
    if SCREENSHOTS:
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        for size in (PHONE, DESKTOP):
            page.set_viewport_size(size)
            page.screenshot(path=folder / f"{name}-{size['width']}.png", full_page=True)
        page.set_viewport_size(PHONE)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_an_applicant_books_and_changes_an_appointment_on_a_phone(
    page: Page, live_server, language
):
    make_centre()
    application = needing_biometrics(1)
    page.set_viewport_size(PHONE)
    if language == "ar":
        page.goto(f"{live_server.url}/language/ar/?next=/apply/sign-in/")
    else:
        page.goto(f"{live_server.url}/apply/sign-in/")
    page.locator("#id_contact").fill(application.applicant.contact)
    page.locator("main button[type=submit]").click()
    match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert match
    page.locator("#id_code").fill(match.group(1))
    page.locator("main button[type=submit]").click()
    rtl = language == "ar"

    page.goto(f"{live_server.url}/apply/application/{application.public_id}/status/")
    expect(page.get_by_test_id("biometrics-status")).to_be_visible()
    checked(page, f"status-{language}", rtl=rtl)
    page.get_by_test_id("biometrics-book").click()

    page.locator("main button[type=submit]").click()  # nothing chosen
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    checked(page, f"centre-error-{language}", rtl=rtl)
    page.locator("#id_centre_0").check()
    page.locator("main button[type=submit]").click()

    expect(page.get_by_test_id("day").first).to_be_visible()
    checked(page, f"times-{language}", rtl=rtl)
    page.locator("main details[open] input[name=slot]").last.check()
    page.locator("main button[type=submit]").click()

    expect(page.get_by_test_id("booked-when")).to_be_visible()
    checked(page, f"booked-{language}", rtl=rtl)
    first = BiometricAppointment.objects.get(application=application)

    page.goto(f"{live_server.url}/apply/application/{application.public_id}/status/")
    expect(page.get_by_test_id("biometrics-appointment")).to_be_visible()
    checked(page, f"status-booked-{language}", rtl=rtl)
    page.get_by_test_id("biometrics-rebook").click()
    page.locator("#id_centre_0").check()
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("current-appointment")).to_be_visible()
    page.get_by_test_id("next-week").click()
    page.locator("main details[open] input[name=slot]").first.check()
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("booked-when")).to_be_visible()

    live = BiometricAppointment.objects.get(application=application, cancelled_at=None)
    assert live.pk != first.pk
    page.goto(f"{live_server.url}/apply/application/{application.public_id}/status/")
    expect(page.get_by_test_id("biometrics-rebook")).to_have_count(0)


def test_the_administrator_s_centre_form_and_the_case_panel(page: Page, live_server, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    sign_in(page, live_server.url, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/centres/new/")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code").fill("amman")
    page.get_by_label("Name", exact=True).fill("Amman visa centre")
    page.get_by_label("City").fill("Amman")
    page.get_by_label("Country").select_option("JOR")
    page.get_by_label("Address").fill("Abdali Boulevard")
    page.get_by_label("Time zone").fill("Asia/Amman")
    page.get_by_label("Length of an appointment, in minutes").fill("30")
    page.get_by_label("Appointments at the same time").fill("2")
    page.locator("#id_opens_0").fill("09:00")
    page.locator("#id_closes_0").fill("15:00")
    page.locator("main button[type=submit]").click()
    expect(page.get_by_test_id("centre")).to_have_count(1)
    assert_accessible(page)

    decider = make_user(Role.DECISION_MAKER)
    application = needing_biometrics(2)
    page.context.clear_cookies()
    sign_in(page, live_server.url, decider.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/{application.public_id}/")
    expect(page.get_by_test_id("biometrics-panel")).to_be_visible()
    expect(page.get_by_test_id("biometrics-waiting")).to_be_visible()
    assert_accessible(page)
