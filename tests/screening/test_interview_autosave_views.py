"""The section page's script in a real browser: each question saves itself when it changes,
says when it was saved, waits for a whole date, and reloads the page (where it was) when an
answer brings in another question."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from safepassage.screening.models import Answer, Interview
from tests.cases.builders import published
from tests.conftest import signed_in_client
from tests.screening.helpers import Staff, interview_in_progress, make_staff

# Playwright's sync API runs an event loop in this thread; Django must still use the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff(make_user: Any) -> Staff:
    published()
    return make_staff(make_user)


@pytest.fixture
def officer_page(staff: Staff, live_server: Any, browser: Browser) -> Iterator[Page]:
    """A browser signed in as the interview's officer (the session of a signed-in client), with
    the content security policy on, as the officer's browser has it (the other browser tests
    turn it off to inject axe-core)."""
    session = signed_in_client(staff.officer).cookies["sessionid"].value
    host = live_server.url.split("//")[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    yield context.new_page()
    context.close()


def answer_of(interview: Interview, question_id: str) -> Answer | None:
    return Answer.objects.filter(interview=interview, question_id=question_id).first()


def test_each_question_saves_itself(staff, officer_page, live_server):
    interview = interview_in_progress(staff)
    page = officer_page
    page.goto(f"{live_server.url}/screening/interviews/{interview.pk}/sections/identity/")

    page.select_option("#nationality-value", "SDN")
    expect(page.locator("#nationality-status")).to_contain_text("Saved at")
    assert page.is_checked("#nationality-state")  # choosing an answer means it was answered
    assert answer_of(interview, "nationality").value == "SDN"

    page.fill("#date_of_birth-value-day", "4")
    page.fill("#date_of_birth-value-month", "3")
    page.wait_for_timeout(1500)
    assert answer_of(interview, "date_of_birth") is None  # not before the year
    page.fill("#date_of_birth-value-year", "1990")
    expect(page.locator("#date_of_birth-status")).to_contain_text("Saved at")
    assert answer_of(interview, "date_of_birth").value == "1990-03-04"

    assert not page.is_visible("#family_name-reason")
    page.check("#family_name-state-4")  # not asked
    assert page.is_visible("#family_name-reason")
    page.fill("#family_name-reason", "Upset")
    expect(page.locator("#family_name-status")).to_contain_text("Say why")
    assert answer_of(interview, "family_name") is None


def test_an_answer_that_brings_in_a_question_reloads_the_section(staff, officer_page, live_server):
    interview = interview_in_progress(staff)
    page = officer_page
    page.goto(f"{live_server.url}/screening/interviews/{interview.pk}/sections/journey/")
    assert page.locator("#owed_to_whom-value").count() == 0
    with page.expect_navigation():
        page.check("#owes_money-value")  # yes
    assert page.locator("#owed_to_whom-value").count() == 1
    assert answer_of(interview, "owes_money").value is True
