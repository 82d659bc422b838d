"""A screening interview in a real browser: the allocated officer starts it with an interpreter,
the applicant confirms their language and that they understand the interpreter, the officer
answers a section, the interpreter signs the declaration in their own session, a wrong answer
is corrected at the read-back with its reason, and the screening completes; and a completion
that the gate refuses, with the page saying why."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from playwright.sync_api import Page, expect

from safepassage.cases.models import AsylumCase, CaseStatus
from safepassage.core.models import Location
from safepassage.core.roles import Role
from safepassage.screening.models import Amendment, AnswerState, Interview, InterviewStatus
from safepassage.screening.selectors import answers_of, interview_questions
from safepassage.screening.services.recording import answer_record
from tests.cases import builders as b
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, LocationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_files(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def screening_day(make_user: Any) -> dict[str, Any]:
    place = cast(Location, LocationFactory())
    registrar = make_user(Role.REGISTRATION_OFFICER, locations=[place])
    officer = make_user(Role.SCREENING_OFFICER, locations=[place], full_name="Priya Shah")
    manager = make_user(Role.LOCATION_MANAGER, locations=[place])
    interpreter_account = make_user(Role.INTERPRETER, locations=[place])
    b.published()
    b.accredit(officer, "screening")
    case = b.registered(registrar=registrar, location=place)
    b.scheduled(case, officer=officer, manager=manager)
    interpreter = b.interpreter(account=interpreter_account)
    return {
        "case": case,
        "officer": officer,
        "interpreter": interpreter,
        "interpreter_account": interpreter_account,
    }


def other_person(page: Page) -> Page:
    browser = page.context.browser
    assert browser is not None
    return browser.new_context(bypass_csp=True, locale="en-GB").new_page()


def start_interview(page: Page, base: str, day: dict[str, Any]) -> Interview:
    case: AsylumCase = day["case"]
    sign_in(page, base, day["officer"].username, PASSWORD)
    page.goto(f"{base}/cases/{case.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Start the screening interview").click()
    expect(page.get_by_test_id("gate")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("In the room").check()
    page.get_by_label("Room, or the call's details").fill("Room 2")
    page.get_by_label("Language of the interview").select_option("ar")
    page.get_by_label("Dialect (optional)").fill("Sudanese")
    page.get_by_label("Interpreter", exact=True).select_option(str(day["interpreter"].pk))
    page.get_by_role("button", name="Start the interview").click()
    expect(page.get_by_role("heading", name="Before you begin")).to_be_visible()
    assert_accessible(page)
    return Interview.objects.get(case=case)


def answer_the_rest(interview: Interview, officer: Any) -> None:
    """The sections the browser did not answer, through the service the pages call."""
    values = {
        "journey_account": "By road through Chad, then by lorry and a small boat.",
        "countries_transited": ["TCD", "FRA"],
        "owes_money": False,
        "convicted": False,
        "language_spoken": "ar",
    }
    for question in interview_questions(interview, answers_of(interview)):
        if question.id in values and question.id not in answers_of(interview):
            answer_record(
                actor=officer,
                interview=interview,
                question_id=question.id,
                state=AnswerState.ANSWERED,
                value=values[question.id],
            )


def test_a_full_screening_with_an_interpreter_and_a_correction(
    page: Page, live_server: Any, screening_day: dict[str, Any], private_files: None
) -> None:
    base = live_server.url
    interview = start_interview(page, base, screening_day)

    page.get_by_role("button", name="The applicant confirms the language and dialect").click()
    understood = page.get_by_role(
        "button", name="The applicant confirms they understand the interpreter"
    )
    understood.click()
    expect(understood).to_have_count(0)

    # The identity section, in the browser: guidance beside each question.
    page.get_by_role("link", name="Identity").first.click()
    assert_accessible(page)
    page.get_by_label("Family name?").fill("Hadad")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("1990")
    page.get_by_label("From a document").check()
    page.get_by_label("Country?").select_option("SDN")
    page.get_by_role("button", name="Save and continue").click()
    interview.refresh_from_db()
    saved = answers_of(interview)
    assert saved["family_name"].value == "Hadad"
    assert saved["date_of_birth"].value == "1990-01-01"
    assert saved["nationality"].value == "SDN"
    answer_the_rest(interview, screening_day["officer"])

    # The interpreter signs the declaration in their own session.
    interpreter_page = other_person(page)
    sign_in(interpreter_page, base, screening_day["interpreter_account"].username, PASSWORD)
    interpreter_page.goto(f"{base}/screening/declarations/")
    assert_accessible(interpreter_page)
    interpreter_page.goto(f"{base}/screening/interviews/{interview.pk}/declaration/")
    interpreter_page.get_by_role("button", name="I make this declaration").click()
    interview.refresh_from_db()
    assert interview.interpreter_declaration.method == "signed"
    # Their account cannot open the officer's pages of the interview.
    refused = interpreter_page.goto(f"{base}/screening/interviews/{interview.pk}/")
    assert refused is not None
    assert refused.status == 403

    # The read-back, in Arabic, with a correction.
    page.goto(f"{base}/screening/interviews/{interview.pk}/read-back/")
    start = page.get_by_test_id("read-back-start")
    start.get_by_label("Arabic").check()
    start.get_by_label("Read aloud to the applicant").check()
    start.get_by_role("button", name="Start the read-back").click()
    assert_accessible(page)
    correction = page.locator("details", has=page.locator("form[action$='/family_name/']"))
    correction.locator("summary").click()
    correction.get_by_label("The correct answer").fill("Haddad")
    correction.get_by_label("Why is it corrected?").fill("The applicant spelled it with two d.")
    correction.get_by_role("button", name="Record the correction").click()
    expect(page.get_by_test_id("amendments")).to_contain_text("Hadad")
    expect(page.get_by_test_id("amendments")).to_contain_text("Haddad")
    amendment = Amendment.objects.get()
    assert (amendment.original_value, amendment.new_value) == ("Hadad", "Haddad")
    page.get_by_role("button", name="The applicant confirms the record").click()

    page.goto(f"{base}/screening/interviews/{interview.pk}/complete/")
    assert_accessible(page)
    page.get_by_role("button", name="Complete the screening").click()
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    assert AsylumCase.objects.get(pk=screening_day["case"].pk).status == CaseStatus.SCREENED
    record = page.request.get(f"{base}/screening/interviews/{interview.pk}/record.pdf")
    assert record.status == 200
    assert record.headers["content-type"] == "application/pdf"


def test_a_completion_the_gate_refuses_says_why(
    page: Page, live_server: Any, screening_day: dict[str, Any], private_files: None
) -> None:
    base = live_server.url
    interview = start_interview(page, base, screening_day)
    b.answer_everything(interview, officer=screening_day["officer"])
    # The language is confirmed, but nobody confirms understanding, declares, or reads back.
    page.get_by_role("button", name="The applicant confirms the language and dialect").click()

    page.goto(f"{base}/screening/interviews/{interview.pk}/complete/")
    expect(page.get_by_test_id("gate")).to_contain_text("Blocked")
    assert_accessible(page)
    page.get_by_role("button", name="Complete the screening").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The screening cannot be completed")
    expect(summary).to_contain_text("read back")
    assert_accessible(page)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert AsylumCase.objects.get(pk=screening_day["case"].pk).status == (
        CaseStatus.SCREENING_IN_PROGRESS
    )
