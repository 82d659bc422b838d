"""The screening interview's pages, as the officer and the interpreter use them: starting
through the gate, answering section by section (and one question at a time, as the page's
script does), the read-back with its corrections, completing, the record, and the
interpreter's own declaration."""

from __future__ import annotations

import copy
import html
import json
from typing import Any

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import AsylumCase, CaseStatus
from safepassage.core.errors import Conflict
from safepassage.core.roles import Role
from safepassage.screening.models import (
    Amendment,
    Answer,
    AnswerState,
    InterpreterConcern,
    InterpreterDeclaration,
    Interview,
    InterviewStatus,
)
from safepassage.screening.services.recording import answer_record, read_back_start
from tests.cases.builders import (
    SMALL,
    accredit,
    answer_everything,
    published,
    ready_to_complete,
    registered,
    scheduled,
    started,
)
from tests.screening.helpers import Staff, case_of, interview_in_progress, make_staff

pytestmark = pytest.mark.django_db

FAMILY_GUIDANCE = "Spell it as the applicant does and check the spelling back."
JOURNEY_GUIDANCE = "Let the applicant tell it in their own words; do not interrupt."
NOT_ASKED_REASON = "The applicant became distressed and the officer stopped."
CORRECTION_REASON = "The applicant corrected the spelling at the read-back."


def with_guidance() -> dict[str, Any]:
    """SMALL, with the officer's guidance on a question and on a section."""
    definition = copy.deepcopy(SMALL)
    identity, journey = definition["sections"][0], definition["sections"][1]
    identity["questions"][0]["guidance"] = FAMILY_GUIDANCE
    journey["guidance"] = JOURNEY_GUIDANCE
    return definition


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def staff(make_user) -> Staff:
    published(with_guidance())
    return make_staff(make_user)


@pytest.fixture
def interview(staff) -> Interview:
    return interview_in_progress(staff)


def text(response) -> str:
    return html.unescape(response.content.decode())


def url(interview: Interview, tail: str = "") -> str:
    return f"/screening/interviews/{interview.pk}/{tail}"


def scheduled_case(staff: Staff, **kwargs: Any) -> AsylumCase:
    case = registered(registrar=staff.registrar, location=staff.place, **kwargs)
    return scheduled(case, officer=staff.officer, manager=staff.manager)


def start_form(staff: Staff, **changes: str) -> dict[str, str]:
    return {
        "mode": "in_room",
        "room": "Room 2",
        "language": "ar",
        "dialect": "Sudanese",
        "interpreter": str(staff.interpreter.pk),
        **changes,
    }


def answer(interview: Interview, question_id: str) -> Answer | None:
    return Answer.objects.filter(interview=interview, question_id=question_id).first()


# --- Starting --------------------------------------------------------------------------------


def test_the_start_page_shows_what_the_gate_sees_and_would_say(staff, client_for):
    case = scheduled_case(staff)
    response = client_for(staff.officer).get(f"/screening/cases/{case.pk}/start/")
    page = text(response)
    assert response.status_code == 200
    assert "Start the screening interview" in page
    assert "What the gate would say" in page
    assert 'data-testid="outcome">Allowed<' in page
    assert "screening.officer_accreditations" in page
    # Each interpreter with their languages and dialects.
    assert "Yusuf Interpreter — Arabic (Sudanese)" in page
    assert "No interpreter: the applicant speaks the officer's language" in page
    # An adult's case asks for no responsible adult.
    assert 'name="responsible_adult"' not in page


def test_the_officer_starts_the_interview(staff, client_for):
    case = scheduled_case(staff)
    client = client_for(staff.officer)
    response = client.post(f"/screening/cases/{case.pk}/start/", start_form(staff))
    interview = Interview.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == url(interview)
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_IN_PROGRESS
    assert (interview.mode, interview.room, interview.language, interview.dialect) == (
        "in_room",
        "Room 2",
        "ar",
        "Sudanese",
    )
    assert interview.interpreter == staff.interpreter
    page = text(client.get(url(interview)))
    assert "The interview has started" in page
    assert case.reference in page
    assert "National questionnaire, version 1" in page
    assert "Full screening" in page


def test_a_second_press_of_start_goes_to_the_interview_already_started(staff, client_for):
    case = scheduled_case(staff)
    client = client_for(staff.officer)
    client.post(f"/screening/cases/{case.pk}/start/", start_form(staff))
    response = client.post(f"/screening/cases/{case.pk}/start/", start_form(staff))
    interview = Interview.objects.get(case=case)
    assert response["Location"] == url(interview)


def test_a_second_start_is_refused_by_the_service_not_by_the_database(staff):
    case = scheduled_case(staff)
    started(case, officer=staff.officer)
    with pytest.raises(Conflict) as refused:
        started(case, officer=staff.officer)  # the case as the first tab read it
    assert refused.value.code == "interview_in_progress"
    assert Interview.objects.filter(case=case).count() == 1


def test_the_start_form_names_everything_missing(staff, client_for):
    case = scheduled_case(staff)
    response = client_for(staff.officer).post(f"/screening/cases/{case.pk}/start/", {})
    page = text(response)
    assert response.status_code == 400
    for message in (
        "Choose how the interview is held",
        "Enter the room, or the call's details",
        "Choose the language of the interview",
        "Choose the interpreter, or say there is none",
    ):
        assert message in page
    assert not Interview.objects.exists()


def test_an_interpreter_for_another_language_is_refused(staff, client_for):
    case = scheduled_case(staff)
    response = client_for(staff.officer).post(
        f"/screening/cases/{case.pk}/start/", start_form(staff, language="fa", dialect="")
    )
    assert response.status_code == 400
    assert "This interpreter is not registered for that language" in text(response)
    assert not Interview.objects.exists()


def test_a_child_without_a_responsible_adult_is_refused_with_the_rule(staff, client_for):
    accredit(staff.officer, "child_interviews")
    case = scheduled_case(staff, child=True, unaccompanied=True)
    client = client_for(staff.officer)
    form_page = text(client.get(f"/screening/cases/{case.pk}/start/"))
    assert 'name="responsible_adult"' in form_page
    assert "a responsible adult independent of the Home Office must be present" in form_page

    response = client.post(f"/screening/cases/{case.pk}/start/", start_form(staff))

    page = text(response)
    assert response.status_code == 409
    assert "The interview cannot start" in page
    assert (
        "A child is interviewed only by an officer accredited for children, with a "
        "responsible adult present. No responsible adult is present." in page
    )
    assert 'data-testid="outcome">Blocked<' in page
    assert "Immigration Rules, para 352 (interviewing children)" in page
    assert not Interview.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_SCHEDULED


def test_a_child_with_a_responsible_adult_gets_the_welfare_interview(staff, client_for):
    accredit(staff.officer, "child_interviews")
    case = scheduled_case(staff, child=True, unaccompanied=True)
    client_for(staff.officer).post(
        f"/screening/cases/{case.pk}/start/",
        start_form(staff, responsible_adult="Sam Carer, foster carer"),
    )
    interview = Interview.objects.get(case=case)
    assert interview.variant == "welfare"
    assert interview.responsible_adult == "Sam Carer, foster carer"


def test_an_officer_the_case_is_not_allocated_to_is_told_before_filling_the_form(
    staff, make_user, client_for
):
    case = scheduled_case(staff)
    other = make_user(Role.SCREENING_OFFICER, locations=[staff.place])
    page = text(client_for(other).get(f"/screening/cases/{case.pk}/start/"))
    assert "This screening interview is allocated to another officer" in page
    response = client_for(other).post(f"/screening/cases/{case.pk}/start/", start_form(staff))
    assert response.status_code == 403
    assert not Interview.objects.exists()


# --- The overview ----------------------------------------------------------------------------


def test_the_overview_lists_the_checks_and_the_sections_with_their_progress(
    staff, interview, client_for
):
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="family_name",
        state=AnswerState.ANSWERED,
        value="Haddad",
    )
    page = text(client_for(staff.officer).get(url(interview)))
    assert "Before you begin" in page
    assert "The applicant confirms the language and dialect" in page
    assert "The applicant confirms they understand the interpreter" in page
    assert "I have interpreted faithfully and accurately" in page  # the declaration's wording
    assert "Record the declaration made aloud" in page
    assert f'href="{url(interview, "sections/identity/")}"' in page
    assert "Mandatory questions asked: 1 of 4. Questions recorded: 1 of 5." in page
    assert "Mandatory questions asked: 0 of 3. Questions recorded: 0 of 3." in page  # journey
    assert f'href="{url(interview, "read-back/")}"' in page
    assert f'href="{url(interview, "complete/")}"' in page
    assert f'href="{url(interview, "concern/")}"' in page


def test_the_checks_before_the_questions_are_recorded(staff, interview, client_for):
    client = client_for(staff.officer)
    response = client.post(
        url(interview, "confirm-language/"), {"language": "ar", "dialect": "Sudanese"}
    )
    assert response.status_code == 302
    client.post(url(interview, "confirm-understanding/"))
    client.post(url(interview, "declaration/oral/"))
    interview.refresh_from_db()
    assert interview.language_confirmed_at is not None
    assert interview.understanding_confirmed_at is not None
    assert InterpreterDeclaration.objects.get(interview=interview).method == "oral"
    page = text(client.get(url(interview)))
    assert "Record the declaration made aloud" not in page
    assert "Made aloud by the interpreter and recorded by the officer" in page


def test_another_language_named_at_the_check_is_refused(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "confirm-language/"), {"language": "fa", "dialect": ""}
    )
    assert response.status_code == 400
    assert "adjourn and start again with an interpreter for it" in text(response)
    interview.refresh_from_db()
    assert interview.language_confirmed_at is None


# --- A section -------------------------------------------------------------------------------


def test_a_section_shows_the_guidance_and_only_the_questions_asked(staff, interview, client_for):
    client = client_for(staff.officer)
    identity = text(client.get(url(interview, "sections/identity/")))
    assert "Family name?" in identity
    assert FAMILY_GUIDANCE in identity
    assert "Guidance for the officer" in identity
    assert 'lang="ar" dir="rtl"' in identity
    assert "اسم العائلة؟" in identity
    journey = text(client.get(url(interview, "sections/journey/")))
    assert JOURNEY_GUIDANCE in journey
    assert "Do you owe money for the journey?" in journey
    assert "Who do you owe it to?" not in journey  # only after "yes"
    assert "Do you agree to a referral?" not in journey  # only once trafficking is raised
    for state in ("Answered", "Asked, no answer", "Declined to answer", "Not asked"):
        assert state in journey
    # Without JavaScript the reason for "not asked" is there to fill in; nothing is hidden.
    assert "Why was it not asked?" in journey
    assert "--hidden" not in journey
    assert "interview-autosave.js" in journey


def test_saving_a_section_shows_the_question_an_answer_leads_to(staff, interview, client_for):
    client = client_for(staff.officer)
    response = client.post(
        url(interview, "sections/journey/"),
        {
            "journey_account-value": "By road, then by boat.",
            "journey_account-state": "answered",
            "owes_money-value": "yes",
            "owes_money-state": "answered",
            "action": "continue",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(interview, "sections/journey/") + "#q-owed_to_whom"
    assert answer(interview, "journey_account").value == "By road, then by boat."
    assert answer(interview, "owes_money").value is True
    page = text(client.get(response["Location"]))
    assert "They lead to more questions in this section" in page
    assert "Who do you owe it to?" in page
    assert "Do you agree to a referral?" in page  # owing money raised trafficking


def test_save_and_continue_goes_to_the_next_section(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "sections/identity/"),
        {
            "family_name-value": "Haddad",
            "date_of_birth-value-day": "4",
            "date_of_birth-value-month": "3",
            "date_of_birth-value-year": "1990",
            "nationality-value": "SDN",
            "action": "continue",
        },
    )
    assert response["Location"] == url(interview, "sections/journey/")
    # A value typed with no state chosen is an answer.
    assert answer(interview, "family_name").state == AnswerState.ANSWERED
    assert answer(interview, "date_of_birth").value == "1990-03-04"
    assert answer(interview, "nationality").value == "SDN"
    # Untouched questions are not recorded at all.
    assert answer(interview, "dob_basis") is None
    assert answer(interview, "language_spoken") is None


def test_a_wrong_answer_saves_nothing_of_the_section_and_says_why(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "sections/identity/"),
        {
            "family_name-value": "Haddad",
            "date_of_birth-value-day": "31",
            "date_of_birth-value-month": "2",
            "date_of_birth-value-year": "1990",
            "action": "save",
        },
    )
    page = text(response)
    assert response.status_code == 400
    assert '<a href="#date_of_birth-value-day">Enter a real date' in page
    assert 'value="Haddad"' in page  # what was typed is shown again
    assert not Answer.objects.filter(interview=interview).exists()


def test_not_asked_needs_its_reason(staff, interview, client_for):
    client = client_for(staff.officer)
    response = client.post(
        url(interview, "sections/identity/"),
        {"family_name-state": "not_asked", "family_name-reason": "Upset", "action": "save"},
    )
    assert response.status_code == 400
    assert (
        '<a href="#family_name-reason">Say why this question was not asked, in at least 10 '
        "characters</a>" in text(response)
    )
    assert answer(interview, "family_name") is None

    client.post(
        url(interview, "sections/identity/"),
        {"family_name-state": "not_asked", "family_name-reason": NOT_ASKED_REASON},
    )
    recorded = answer(interview, "family_name")
    assert (recorded.state, recorded.not_asked_reason) == ("not_asked", NOT_ASKED_REASON)


def test_an_unchanged_answer_is_not_recorded_again(staff, interview, client_for):
    client = client_for(staff.officer)
    form = {"family_name-value": "Haddad", "family_name-state": "answered", "action": "save"}
    client.post(url(interview, "sections/identity/"), form)
    client.post(url(interview, "sections/identity/"), form)
    assert AuditEvent.objects.filter(action="screening.answer_recorded").count() == 1


def test_only_the_interviews_officer_records_in_a_section(staff, interview, make_user, client_for):
    other = make_user(Role.SCREENING_OFFICER, locations=[staff.place])
    client = client_for(other)
    page = text(client.get(url(interview, "sections/identity/")))
    assert "Only they can record it" in page
    assert 'data-testid="section-form"' not in page
    response = client.post(url(interview, "sections/identity/"), {"family_name-value": "Haddad"})
    assert response.status_code == 403
    assert answer(interview, "family_name") is None


def test_an_adjourned_interview_cannot_be_answered_any_more(staff, interview, client_for):
    client = client_for(staff.officer)
    client.post(
        url(interview, "adjourn/"), {"reason": "The applicant is unwell and needs a doctor."}
    )
    page = text(client.get(url(interview, "sections/identity/")))
    assert "This interview is no longer in progress" in page
    assert 'data-testid="section-form"' not in page
    response = client.post(url(interview, "sections/identity/"), {"family_name-value": "Haddad"})
    assert response.status_code == 409
    assert "This interview is “Adjourned”: it cannot be changed." in text(response)
    assert answer(interview, "family_name") is None
    overview = text(client.get(url(interview)))
    assert "The applicant is unwell and needs a doctor." in overview


def test_a_section_of_another_variant_is_not_found(staff, client_for):
    accredit(staff.officer, "child_interviews")
    interview = interview_in_progress(staff, child=True, responsible_adult="Foster carer")
    response = client_for(staff.officer).get(url(interview, "sections/criminality/"))
    assert response.status_code == 404


# --- Autosave --------------------------------------------------------------------------------


def test_autosave_saves_one_answer_and_answers_in_json(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "answers/family_name/"), {"state": "answered", "value": "Haddad"}
    )
    body = response.json()
    assert response.status_code == 200
    assert body["saved"] is True
    assert (body["question"], body["state"], body["reload"]) == ("family_name", "answered", False)
    assert body["saved_at"]
    assert body["message"].startswith("Saved at ")
    assert answer(interview, "family_name").value == "Haddad"


def test_autosave_says_when_the_section_shows_other_questions(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "answers/owes_money/"), {"state": "answered", "value": "yes"}
    )
    assert response.json()["reload"] is True


def test_autosave_of_a_date_from_its_three_boxes(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "answers/date_of_birth/"),
        {"value-day": "٤", "value-month": "3", "value-year": "1990"},  # Arabic-Indic digits too
    )
    assert response.status_code == 200
    assert answer(interview, "date_of_birth").value == "1990-03-04"


def test_autosave_of_a_value_of_the_wrong_type_is_refused(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "answers/nationality/"), {"state": "answered", "value": "Narnia"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_failed",
            "message": "Choose a country from the list",
            "fields": {"nationality": ["Choose a country from the list"]},
        }
    }
    assert answer(interview, "nationality") is None


def test_autosave_of_a_question_its_condition_does_not_show_is_refused(
    staff, interview, client_for
):
    response = client_for(staff.officer).post(
        url(interview, "answers/owed_to_whom/"), {"state": "answered", "value": "A smuggler"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "This question is not asked in this interview, given the answers so far."
    )
    assert answer(interview, "owed_to_whom") is None


def test_autosave_of_an_unknown_question_is_not_found(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "answers/favourite_colour/"), {"state": "answered", "value": "Blue"}
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "This question is not in the questionnaire."


def test_autosave_of_not_asked_without_a_reason_is_refused(staff, interview, client_for):
    response = client_for(staff.officer).post(
        url(interview, "answers/family_name/"), {"state": "not_asked", "reason": ""}
    )
    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Say why this question was not asked, in at least 10 characters"
    )
    assert answer(interview, "family_name") is None


def test_autosave_with_nothing_chosen_says_what_to_do(staff, interview, client_for):
    response = client_for(staff.officer).post(url(interview, "answers/family_name/"), {})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("Say what happened with this question")


def test_an_interpreters_account_cannot_record_an_answer(staff, interview, client_for):
    client = client_for(staff.interpreter_account)
    response = client.post(
        url(interview, "answers/family_name/"), {"state": "answered", "value": "Haddad"}
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "An interpreter never records an interview. The officer records the answers."
    )
    assert (
        client.post(
            url(interview, "sections/identity/"), {"family_name-value": "Haddad"}
        ).status_code
        == 403
    )
    assert not Answer.objects.filter(interview=interview).exists()
    assert AuditEvent.objects.filter(action="screening.recorder_refused").count() == 2


@pytest.mark.parametrize(
    "tail",
    [
        "",
        "sections/identity/",
        "read-back/",
        "complete/",
        "adjourn/",
        "concern/",
    ],
)
def test_an_interpreter_opens_no_officer_page(staff, interview, client_for, tail):
    response = client_for(staff.interpreter_account).get(url(interview, tail))
    assert response.status_code == 403


# --- The read-back ---------------------------------------------------------------------------


@pytest.fixture
def reading_back(staff, interview) -> Interview:
    answer_everything(interview, officer=staff.officer)
    read_back_start(actor=staff.officer, interview=interview, language="ar", method="read")
    interview.refresh_from_db()
    return interview


def test_the_read_back_shows_each_answer_in_english_and_in_the_applicants_language(
    staff, interview, client_for
):
    answer_everything(interview, officer=staff.officer)
    client = client_for(staff.officer)
    before = text(client.get(url(interview, "read-back/")))
    assert "Start the read-back" in before
    response = client.post(url(interview, "read-back/"), {"language": "ar", "method": "read"})
    assert response.status_code == 302
    page = text(client.get(url(interview, "read-back/")))
    assert "Tell me about your journey." in page
    assert '<p class="govuk-body govuk-!-margin-bottom-2" lang="ar" dir="rtl"' in page
    assert "حدثني عن رحلتك." in page
    # The countries in both languages.
    assert "Chad, France" in page
    assert "تشاد" in page
    assert "The applicant confirms the record" in page


def test_a_correction_without_its_reason_changes_nothing(staff, reading_back, client_for):
    response = client_for(staff.officer).post(
        url(reading_back, "read-back/amend/family_name/"),
        {"family_name-state": "answered", "family_name-value": "Hadad"},
    )
    assert response.status_code == 400
    assert "Say why the answer is corrected, in at least 10 characters" in text(response)
    assert answer(reading_back, "family_name").value == "Haddad"
    assert not Amendment.objects.exists()


def test_a_correction_keeps_the_original(staff, reading_back, client_for):
    client = client_for(staff.officer)
    response = client.post(
        url(reading_back, "read-back/amend/family_name/"),
        {
            "family_name-state": "answered",
            "family_name-value": "Hadad",
            "family_name-amendment_reason": CORRECTION_REASON,
        },
    )
    assert response.status_code == 302
    assert answer(reading_back, "family_name").value == "Hadad"
    amendment = Amendment.objects.get()
    assert (amendment.original_value, amendment.new_value) == ("Haddad", "Hadad")
    page = text(client.get(url(reading_back, "read-back/")))
    assert "The correction is recorded, with its reason. The original answer is kept." in page
    assert "Was “<bdi>Haddad</bdi>”" in page
    assert CORRECTION_REASON in page


def test_once_read_back_answers_change_only_as_corrections(staff, reading_back, client_for):
    client = client_for(staff.officer)
    response = client.post(
        url(reading_back, "answers/family_name/"), {"state": "answered", "value": "Hadad"}
    )
    assert response.status_code == 409
    assert "correct an answer as an amendment" in response.json()["error"]["message"]
    page = text(client.get(url(reading_back, "sections/identity/")))
    assert "The record is being read back" in page
    assert answer(reading_back, "family_name").value == "Haddad"


# --- Completing ------------------------------------------------------------------------------


def test_the_completion_page_names_what_is_missing(staff, interview, client_for):
    page = text(client_for(staff.officer).get(url(interview, "complete/")))
    assert "Every mandatory question asked" in page
    assert f'href="{url(interview, "sections/identity/")}#q-family_name"' in page
    assert "Family name?" in page
    assert "Tell me about your journey." in page
    assert "Who do you owe it to?" not in page  # not shown, so not missing
    assert (
        page.count(">Missing<") == 5
    )  # questions, language, understanding, declaration, read-back
    assert "You hold a screening accreditation in date" in page
    assert "What the gate would say to completing now" in page
    assert 'data-testid="outcome">Blocked<' in page


def test_a_refused_completion_says_why(staff, interview, client_for):
    answer_everything(interview, officer=staff.officer)
    response = client_for(staff.officer).post(url(interview, "complete/"))
    page = text(response)
    assert response.status_code == 409
    assert "The screening cannot be completed:" in page
    assert (
        "The language and dialect are recorded and the applicant confirms them. Not done. "
        "(Home Office guidance: Asylum screening and routing, v12.0 (July 2024): the screening "
        "interview)" in page
    )
    assert "The record is read back (or shown) to the applicant in their language" in page
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS


def test_completing_after_everything_and_downloading_the_record(staff, interview, client_for):
    answer_everything(interview, officer=staff.officer)
    ready_to_complete(interview, officer=staff.officer)
    client = client_for(staff.officer)
    ready = text(client.get(url(interview, "complete/")))
    assert ">Missing<" not in ready
    assert "Trafficking or modern slavery" not in ready  # SMALL's answers raise nothing

    response = client.post(url(interview, "complete/"))
    assert response.status_code == 302
    assert response["Location"] == url(interview)
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.COMPLETED
    assert case_of(interview).status == CaseStatus.SCREENED
    page = text(client.get(url(interview)))
    assert "The screening interview is complete" in page

    record = client.get(url(interview, "record.pdf"))
    assert record.status_code == 200
    assert record["Content-Type"] == "application/pdf"
    assert "no-store" in record["Cache-Control"]
    reference = case_of(interview).reference
    assert record["Content-Disposition"] == (
        f'attachment; filename="interview-record-{reference}-{interview.pk}.pdf"'
    )
    assert record.content.startswith(b"%PDF")


def test_the_completion_page_shows_the_referrals_the_answers_call_for(staff, interview, client_for):
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="owes_money",
        state=AnswerState.ANSWERED,
        value=True,
    )
    page = text(client_for(staff.officer).get(url(interview, "complete/")))
    assert "Trafficking or modern slavery" in page
    assert "These go to the safeguarding team" in page


def test_there_is_no_record_before_completion(staff, interview, client_for):
    assert client_for(staff.officer).get(url(interview, "record.pdf")).status_code == 404


# --- Adjourning and concerns -----------------------------------------------------------------


def test_adjourning_needs_a_reason_and_sends_the_case_back_to_scheduled(
    staff, interview, client_for
):
    client = client_for(staff.officer)
    short = client.post(url(interview, "adjourn/"), {"reason": "Unwell"})
    assert short.status_code == 400
    assert "Explain in at least 20 characters why the interview stops" in text(short)
    response = client.post(
        url(interview, "adjourn/"), {"reason": "The applicant is unwell and needs a doctor."}
    )
    assert response["Location"] == f"/cases/{interview.case_id}/"
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.ADJOURNED
    assert case_of(interview).status == CaseStatus.SCREENING_SCHEDULED


def test_a_concern_about_the_interpreter_goes_to_quality_assurance(staff, interview, client_for):
    client = client_for(staff.officer)
    page = text(client.get(url(interview, "concern/")))
    assert "Your report goes to quality assurance" in page
    short = client.post(url(interview, "concern/"), {"kind": "conduct", "details": "Rude"})
    assert short.status_code == 400
    assert "Describe what happened in at least 20 characters" in text(short)
    response = client.post(
        url(interview, "concern/"),
        {
            "kind": "answered_for_applicant",
            "details": "The interpreter answered the date of birth before the applicant spoke.",
        },
        follow=True,
    )
    assert "Your concern is recorded and has gone to quality assurance." in text(response)
    assert InterpreterConcern.objects.get().kind == "answered_for_applicant"


# --- The interpreter's declaration -----------------------------------------------------------


def test_the_interpreter_signs_their_declaration_on_their_own_page(staff, interview, client_for):
    client = client_for(staff.interpreter_account)
    listing = text(client.get("/screening/declarations/"))
    reference = case_of(interview).reference
    assert reference in listing
    assert f'href="{url(interview, "declaration/")}"' in listing
    page = text(client.get(url(interview, "declaration/")))
    assert "I have interpreted faithfully and accurately" in page
    assert "I make this declaration" in page

    response = client.post(url(interview, "declaration/"))

    assert response.status_code == 302
    declaration = InterpreterDeclaration.objects.get(interview=interview)
    assert (declaration.method, declaration.recorded_by) == ("signed", staff.interpreter_account)
    listing = text(client.get("/screening/declarations/"))
    assert "Your declaration is signed and recorded." in listing
    assert ">Made<" in listing
    officer_page = text(client_for(staff.officer).get(url(interview)))
    assert "Signed by the interpreter with their own account" in officer_page


def test_an_interpreter_cannot_sign_for_an_interview_they_do_not_interpret(
    staff, make_user, client_for
):
    interview = interview_in_progress(staff)
    stranger = make_user(Role.INTERPRETER, locations=[staff.place])
    client = client_for(stranger)
    assert "You are not the interpreter of any interview yet." in text(
        client.get("/screening/declarations/")
    )
    assert client.get(url(interview, "declaration/")).status_code in (403, 404)
    assert client.post(url(interview, "declaration/")).status_code in (403, 404)
    assert not InterpreterDeclaration.objects.exists()


def test_an_officer_does_not_sign_the_interpreters_declaration(staff, interview, client_for):
    client = client_for(staff.officer)
    assert client.get("/screening/declarations/").status_code == 403
    assert client.post(url(interview, "declaration/")).status_code == 403
    assert not InterpreterDeclaration.objects.exists()


def test_pages_of_an_interview_out_of_scope_are_not_found(staff, interview, make_user, client_for):
    from tests.factories import LocationFactory

    elsewhere = make_user(Role.SCREENING_OFFICER, locations=[LocationFactory()])
    client = client_for(elsewhere)
    assert client.get(url(interview)).status_code == 404
    assert client.get(url(interview, "sections/identity/")).status_code == 404
    body = json.loads(
        client.post(url(interview, "answers/family_name/"), {"value": "Haddad"}).content
    )
    assert body["error"]["code"] == "not_found"
