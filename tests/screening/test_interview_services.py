"""Starting, recording and completing screening interviews, through the services.

The audit's failures, each made impossible here: an interview by someone not allocated or not
accredited, a child without a responsible adult, an interpreter who does not speak the language,
an interpreter recording the answers, a central question never asked, an unconfirmed record,
and vulnerabilities that the answers show but nobody raised.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.models import AsylumCase, CaseStatus, CaseTransition
from safepassage.cases.services import waiver_grant, waiver_revoke
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.policy.models import PolicyEvaluation
from safepassage.policy.services import PolicyBlocked, london_today
from safepassage.safeguarding.models import VulnerabilityIndicator
from safepassage.screening.models import (
    Amendment,
    Answer,
    AnswerState,
    InterpreterConcern,
    InterpreterDeclaration,
    Interview,
    InterviewStatus,
    Variant,
)
from safepassage.screening.services.interviews import (
    interview_adjourn,
    interview_complete,
    interview_start,
)
from safepassage.screening.services.recording import (
    answer_amend,
    answer_record,
    answers_record,
    concern_report,
    declaration_record_oral,
    declaration_sign,
    language_confirm,
    read_back_confirm,
    read_back_start,
    understanding_confirm,
)
from safepassage.workforce.models import Accreditation
from safepassage.workforce.services import accreditation_withdraw
from tests.cases.builders import (
    accredit,
    interpreter,
    published,
    registered,
    scheduled,
    started,
)
from tests.screening.helpers import (
    CONFIRMATIONS,
    Staff,
    answer_all,
    case_of,
    confirm,
    give_role,
    interview_in_progress,
    make_staff,
)

pytestmark = pytest.mark.django_db

WAIVER = "Only one officer is on duty at this small port for the next week."
AMENDED = "The applicant corrected the spelling at the read-back."


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def staff(make_user) -> Staff:
    published()
    return make_staff(make_user)


def fields(error: ValidationFailed) -> dict[str, list[str]]:
    return error.field_errors()


def blocking_rules(blocked: PolicyBlocked) -> set[str]:
    return {
        finding["rule"]
        for finding in blocked.evaluation.verdict["findings"]
        if finding["effect"] == "block"
    }


def scheduled_case(staff: Staff, **kwargs: Any) -> AsylumCase:
    case = registered(registrar=staff.registrar, location=staff.place, **kwargs)
    return scheduled(case, officer=staff.officer, manager=staff.manager)


def assert_not_started(case: AsylumCase) -> None:
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_SCHEDULED
    assert not Interview.objects.filter(case=case).exists()
    assert not CaseTransition.objects.filter(case=case, name="start_screening").exists()


# --- Starting --------------------------------------------------------------------------------


def test_the_allocated_officer_starts_the_interview_through_the_gate(staff):
    case = scheduled_case(staff)

    interview = started(case, officer=staff.officer, with_interpreter=staff.interpreter)

    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_IN_PROGRESS
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert interview.variant == Variant.FULL
    assert interview.questionnaire.status == "current"
    assert (interview.language, interview.dialect) == ("ar", "Sudanese")
    assert interview.start_evaluation.action == "start_screening_interview"
    assert interview.start_evaluation.outcome == "allowed"
    change = CaseTransition.objects.get(case=case, name="start_screening")
    assert change.evaluation == interview.start_evaluation
    assert AuditEvent.objects.get(action="screening.interview_started").object_id == str(
        interview.pk
    )


def test_another_screening_officer_cannot_start_someone_elses_interview(staff, make_user):
    case = scheduled_case(staff)
    other = make_user(Role.SCREENING_OFFICER, locations=[staff.place])
    accredit(other, "screening")
    with pytest.raises(PermissionDenied) as refused:
        started(case, officer=other)
    assert refused.value.code == "not_allocated"
    assert str(refused.value.message) == (
        "This screening interview is allocated to another officer. Ask the location manager."
    )
    assert_not_started(case)


def test_the_registering_officer_cannot_interview_once_a_waiver_has_ended(staff):
    registrar = give_role(staff.registrar, Role.SCREENING_OFFICER)
    accredit(registrar, "screening")
    case = registered(registrar=registrar, location=staff.place)
    waiver = waiver_grant(
        actor=staff.manager,
        location=staff.place,
        reason=WAIVER,
        valid_until=london_today() + timedelta(days=3),
    )
    scheduled(case, officer=registrar, manager=staff.manager)
    waiver_revoke(actor=staff.manager, waiver=waiver)

    with pytest.raises(PermissionDenied) as refused:
        started(case, officer=registrar)

    assert refused.value.code == "stage_separation"
    assert_not_started(case)


def test_no_interview_starts_without_a_published_questionnaire(make_user):
    staff = make_staff(make_user)  # nothing published
    case = scheduled_case(staff)
    with pytest.raises(Conflict) as refused:
        started(case, officer=staff.officer)
    assert refused.value.code == "no_questionnaire"
    assert_not_started(case)


def test_a_child_is_not_interviewed_without_a_responsible_adult(staff):
    accredit(staff.officer, "child_interviews")
    case = scheduled_case(staff, child=True, unaccompanied=True)

    with pytest.raises(PolicyBlocked) as blocked:
        started(case, officer=staff.officer, with_interpreter=staff.interpreter)

    assert blocking_rules(blocked.value) == {"child-interview-safeguards"}
    assert "No responsible adult is present." in str(blocked.value.evaluation.verdict)
    assert_not_started(case)
    stored = PolicyEvaluation.objects.get(action="start_screening_interview")
    assert (stored.outcome, stored.subject_id) == ("blocked", str(case.pk))


def test_a_child_with_a_responsible_adult_gets_the_welfare_interview(staff):
    accredit(staff.officer, "child_interviews")
    case = scheduled_case(staff, child=True, unaccompanied=True)
    interview = started(
        case,
        officer=staff.officer,
        with_interpreter=staff.interpreter,
        responsible_adult="Social worker, Kent County Council",
    )
    assert interview.variant == Variant.WELFARE
    assert interview.responsible_adult == "Social worker, Kent County Council"


def test_a_child_is_not_interviewed_by_an_officer_whose_child_accreditation_ended(staff):
    accredit(staff.officer, "child_interviews")
    case = scheduled_case(staff, child=True, unaccompanied=True)
    accreditation_withdraw(
        actor=staff.manager,
        accreditation=Accreditation.objects.get(holder=staff.officer, kind="child_interviews"),
        reason="Training lapsed after the allocation",
    )

    with pytest.raises(PolicyBlocked) as blocked:
        started(case, officer=staff.officer, responsible_adult="Social worker")

    assert blocking_rules(blocked.value) == {"child-interview-safeguards"}
    assert "not accredited to interview children" in str(blocked.value.evaluation.verdict)
    assert_not_started(case)


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"language": "fa"}, "This interpreter is not registered for that language"),
        ({"expires": -1}, "This interpreter's accreditation has expired"),
        ({"dialect": "Juba Arabic"}, "This interpreter is not registered for that dialect"),
    ],
)
def test_an_interpreter_who_cannot_interpret_this_interview_is_refused(staff, details, message):
    case = scheduled_case(staff)
    unfit = interpreter(language=details.get("language", "ar"))
    if "expires" in details:
        type(unfit).objects.filter(pk=unfit.pk).update(
            accreditation_expires_on=london_today() + timedelta(days=details["expires"])
        )
        unfit.refresh_from_db()

    with pytest.raises(ValidationFailed) as refused:
        interview_start(
            actor=staff.officer,
            case=case,
            mode="telephone",
            room="Line 3",
            interpreter=unfit,
            language="ar",
            dialect=details.get("dialect", "Sudanese"),
        )

    assert fields(refused.value)["interpreter"] == [message]
    assert_not_started(case)


def test_the_start_names_every_missing_detail_at_once(staff):
    case = scheduled_case(staff)
    with pytest.raises(ValidationFailed) as refused:
        interview_start(
            actor=staff.officer,
            case=case,
            mode="by pigeon",
            room=" ",
            interpreter=None,
            language="",
        )
    assert set(fields(refused.value)) == {"mode", "room", "language"}
    assert_not_started(case)


# --- Completing: everything, and everything but one thing -----------------------------------


def ready(staff: Staff, **overrides: Any) -> Interview:
    """An interview with every question answered (owing money for the journey, so a
    trafficking indicator is waiting to be raised) and every confirmation made."""
    interview = interview_in_progress(staff)
    answer_all(interview, officer=staff.officer, overrides={"owes_money": True, **overrides})
    return confirm(interview, officer=staff.officer)


def test_a_ready_interview_completes_and_raises_what_the_answers_show(staff):
    interview = ready(staff)

    completed = interview_complete(actor=staff.officer, interview=interview)

    case = case_of(interview)
    assert case.status == CaseStatus.SCREENED
    assert completed.status == InterviewStatus.COMPLETED
    assert completed.ended_at is not None
    assert completed.record_file
    assert len(completed.record_sha256) == 64
    evaluation = completed.completion_evaluation
    assert (evaluation.action, evaluation.outcome) == ("complete_screening", "allowed")
    assert "nrm_referral_or_duty_to_notify" in evaluation.verdict["referrals_required"]
    assert CaseTransition.objects.get(case=case, name="complete_screening").evaluation == (
        evaluation
    )
    assert case.vulnerability_indicators.get().category == "trafficking"
    event = AuditEvent.objects.get(action="screening.interview_completed")
    assert event.payload["indicators"] == ["trafficking"]


def leave_out_mandatory(staff: Staff, interview: Interview) -> None:
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="journey_account",
        state=AnswerState.NOT_ASKED,
        reason="The officer ran out of time before the journey",
    )


def withdraw_screening_accreditation(staff: Staff, interview: Interview) -> None:
    accreditation_withdraw(
        actor=staff.manager,
        accreditation=Accreditation.objects.get(holder=staff.officer, kind="screening"),
        reason="Withdrawn after a quality review, during the interview",
    )


def interpreter_recorded_an_answer(staff: Staff, interview: Interview) -> None:
    # No service lets an interpreter record (see below); the gate is the second line, for a
    # record that arrives some other way (an import, a bug).
    Answer.objects.filter(interview=interview, question_id="family_name").update(
        recorded_by=staff.interpreter_account
    )


REMOVALS = {
    "a mandatory question not asked": (None, leave_out_mandatory, "screening-mandatory-sections"),
    "language not confirmed": ("language", None, "screening-language-confirmed"),
    "no interpreter declaration": ("declaration", None, "screening-interpreter-confirmations"),
    "understanding not confirmed": ("understanding", None, "screening-interpreter-confirmations"),
    "read-back not confirmed": ("read_back", None, "screening-read-back"),
    "accreditation withdrawn": (
        None,
        withdraw_screening_accreditation,
        "screening-officer-accredited",
    ),
    "interpreter is the recorder": (
        None,
        interpreter_recorded_an_answer,
        "interpreter-not-recorder",
    ),
}


@pytest.mark.parametrize("removed", list(REMOVALS))
def test_completion_is_blocked_when_one_thing_is_missing(staff, removed):
    leave_out, spoil, rule = REMOVALS[removed]
    interview = interview_in_progress(staff)
    answer_all(interview, officer=staff.officer, overrides={"owes_money": True})
    if spoil is not None:
        spoil(staff, interview)
    interview = confirm(interview, officer=staff.officer, leave_out=leave_out or "")
    assert leave_out in (None, *CONFIRMATIONS)

    with pytest.raises(PolicyBlocked) as blocked:
        interview_complete(actor=staff.officer, interview=interview)

    assert blocking_rules(blocked.value) == {rule}
    case = case_of(interview)
    assert case.status == CaseStatus.SCREENING_IN_PROGRESS
    interview.refresh_from_db()
    assert interview.status == InterviewStatus.IN_PROGRESS
    assert interview.completion_evaluation is None
    assert interview.record_file == ""
    assert not VulnerabilityIndicator.objects.filter(case=case).exists()
    assert not CaseTransition.objects.filter(case=case, name="complete_screening").exists()
    assert not AuditEvent.objects.filter(action="screening.interview_completed").exists()
    stored = PolicyEvaluation.objects.get(action="complete_screening")
    assert (stored.outcome, stored.subject_id) == ("blocked", str(case.pk))
    assert rule in [finding["rule"] for finding in stored.verdict["findings"]]


@pytest.mark.parametrize("state", [AnswerState.DECLINED, AnswerState.NO_ANSWER])
def test_declined_and_asked_without_an_answer_count_as_asked(staff, state):
    interview = interview_in_progress(staff)
    answer_all(interview, officer=staff.officer)
    answer_record(
        actor=staff.officer, interview=interview, question_id="journey_account", state=state
    )
    confirm(interview, officer=staff.officer)

    interview_complete(actor=staff.officer, interview=interview)

    assert case_of(interview).status == CaseStatus.SCREENED


@pytest.mark.parametrize(
    ("overrides", "category", "question"),
    [
        ({"owes_money": True}, "trafficking", "owes_money"),
        ({"countries_transited": ["TCD", "LBY", "ITA"]}, "trafficking", "countries_transited"),
        ({"date_of_birth": "1940-05-01"}, "older_person", "date_of_birth"),
    ],
)
def test_completion_raises_the_indicators_the_answers_imply(staff, overrides, category, question):
    interview = interview_in_progress(staff)
    answer_all(interview, officer=staff.officer, overrides=overrides)
    confirm(interview, officer=staff.officer)

    completed = interview_complete(actor=staff.officer, interview=interview)

    indicator = VulnerabilityIndicator.objects.get(case_id=interview.case_id)
    assert indicator.category == category
    assert indicator.evidence_level == 1
    assert indicator.source == "screening_answer"
    assert indicator.source_reference == f"interview:{interview.pk}:{question}"
    assert indicator.recorded_by == staff.officer
    referrals = completed.completion_evaluation.verdict["referrals_required"]
    if category == "trafficking":
        assert referrals == ["nrm_referral_or_duty_to_notify"]
    # The gate saw the indicator the answers raised.
    vulnerabilities = completed.completion_evaluation.facts["vulnerabilities"]
    assert {"category": category, "evidence_level": 1} in vulnerabilities


def test_only_the_interviews_officer_completes_it(staff, make_user):
    interview = ready(staff)
    other = make_user(Role.SCREENING_OFFICER, locations=[staff.place])
    accredit(other, "screening")
    with pytest.raises(PermissionDenied):
        interview_complete(actor=other, interview=interview)
    assert case_of(interview).status == CaseStatus.SCREENING_IN_PROGRESS
    assert not PolicyEvaluation.objects.filter(action="complete_screening").exists()


def test_a_completed_interview_cannot_be_changed(staff):
    interview = ready(staff)
    interview_complete(actor=staff.officer, interview=interview)
    with pytest.raises(Conflict) as refused:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="family_name",
            state=AnswerState.ANSWERED,
            value="Other",
        )
    assert refused.value.code == "interview_closed"
    assert Answer.objects.get(interview=interview, question_id="family_name").value == "Haddad"


def test_an_adjourned_interview_sends_the_case_back_to_scheduled(staff):
    interview = interview_in_progress(staff)
    with pytest.raises(ValidationFailed):
        interview_adjourn(actor=staff.officer, interview=interview, reason="Unwell")
    adjourned = interview_adjourn(
        actor=staff.officer,
        interview=interview,
        reason="The applicant is unwell and needs to see a nurse first.",
    )
    assert adjourned.status == InterviewStatus.ADJOURNED
    assert case_of(interview).status == CaseStatus.SCREENING_SCHEDULED


# --- The interpreter never records ----------------------------------------------------------


def interpreter_only(staff: Staff) -> Any:
    return staff.interpreter_account


def interpreter_who_is_also_an_officer(staff: Staff) -> Any:
    return give_role(staff.interpreter_account, Role.SCREENING_OFFICER)


def officer_who_is_also_an_interpreter(staff: Staff) -> Any:
    return give_role(staff.officer, Role.INTERPRETER)


ACCOUNTS = {
    "the interview's interpreter": interpreter_only,
    "the interview's interpreter, also a screening officer": interpreter_who_is_also_an_officer,
    "the interview's officer, also an interpreter": officer_who_is_also_an_interpreter,
}


def try_answer_record(actor: Any, interview: Interview, second: AsylumCase) -> None:
    answer_record(
        actor=actor,
        interview=interview,
        question_id="family_name",
        state=AnswerState.ANSWERED,
        value="Changed",
    )


def try_answer_amend(actor: Any, interview: Interview, second: AsylumCase) -> None:
    answer_amend(
        actor=actor,
        interview=interview,
        question_id="family_name",
        state=AnswerState.ANSWERED,
        value="Changed",
        reason=AMENDED,
    )


def try_interview_complete(actor: Any, interview: Interview, second: AsylumCase) -> None:
    interview_complete(actor=actor, interview=interview)


def try_interview_start(actor: Any, interview: Interview, second: AsylumCase) -> None:
    started(second, officer=actor)


def try_language_confirm(actor: Any, interview: Interview, second: AsylumCase) -> None:
    language_confirm(actor=actor, interview=interview, language="ar")


RECORDING = {
    "answer_record": try_answer_record,
    "answer_amend": try_answer_amend,
    "interview_complete": try_interview_complete,
    "interview_start": try_interview_start,
    "language_confirm": try_language_confirm,
    "understanding_confirm": lambda actor, interview, second: understanding_confirm(
        actor=actor, interview=interview
    ),
    "read_back_start": lambda actor, interview, second: read_back_start(
        actor=actor, interview=interview, language="ar", method="read"
    ),
    "read_back_confirm": lambda actor, interview, second: read_back_confirm(
        actor=actor, interview=interview
    ),
    "declaration_record_oral": lambda actor, interview, second: declaration_record_oral(
        actor=actor, interview=interview
    ),
    "interview_adjourn": lambda actor, interview, second: interview_adjourn(
        actor=actor, interview=interview, reason="The applicant is unwell and needs a nurse."
    ),
    "concern_report": lambda actor, interview, second: concern_report(
        actor=actor,
        interview=interview,
        kind="answered_for_applicant",
        details="The interpreter answered before the applicant had spoken.",
    ),
}


def snapshot(interview: Interview, second: AsylumCase) -> dict[str, Any]:
    interview.refresh_from_db()
    return {
        "answers": sorted(
            Answer.objects.filter(interview=interview).values_list(
                "question_id", "state", "value", "recorded_by_id"
            )
        ),
        "amendments": Amendment.objects.count(),
        "interviews": sorted(Interview.objects.values_list("pk", "status")),
        "interview": (
            interview.language_confirmed_at,
            interview.understanding_confirmed_at,
            interview.read_back_started_at,
            interview.read_back_confirmed_at,
            interview.ended_at,
        ),
        "declarations": InterpreterDeclaration.objects.count(),
        "concerns": InterpreterConcern.objects.count(),
        "cases": sorted(AsylumCase.objects.values_list("pk", "status")),
        "indicators": VulnerabilityIndicator.objects.count(),
        "transitions": CaseTransition.objects.count(),
    }


@pytest.mark.parametrize("service", list(RECORDING))
@pytest.mark.parametrize("account", list(ACCOUNTS))
def test_an_interpreters_account_never_records(staff, account, service):
    interview = interview_in_progress(staff)
    answer_all(interview, officer=staff.officer)
    # Everything else is ready, so only the refusal stands between the account and the write.
    if service == "interview_complete":
        confirm(interview, officer=staff.officer)
    elif service in ("answer_amend", "read_back_confirm"):
        read_back_start(actor=staff.officer, interview=interview, language="ar", method="read")
    second = scheduled_case(staff)
    actor = ACCOUNTS[account](staff)
    before = snapshot(interview, second)
    refusals = AuditEvent.objects.filter(action="screening.recorder_refused").count()

    with pytest.raises(PermissionDenied) as refused:
        RECORDING[service](actor, interview, second)

    assert refused.value.code == "interpreter_cannot_record"
    assert str(refused.value.message) == (
        "An interpreter never records an interview. The officer records the answers."
    )
    assert snapshot(interview, second) == before
    events = AuditEvent.objects.filter(action="screening.recorder_refused")
    assert events.count() == refusals + 1
    assert events.last().actor_id == actor.pk


def test_an_interpreters_account_cannot_record_several_answers_either(staff):
    interview = interview_in_progress(staff)
    with pytest.raises(PermissionDenied) as refused:
        answers_record(
            actor=staff.interpreter_account,
            interview=interview,
            entries=[{"question_id": "family_name", "state": "answered", "value": "Haddad"}],
        )
    assert refused.value.code == "interpreter_cannot_record"
    assert not Answer.objects.exists()
    assert AuditEvent.objects.filter(action="screening.recorder_refused").count() == 1


# --- Bad input -------------------------------------------------------------------------------


@pytest.fixture
def interview(staff) -> Interview:
    return interview_in_progress(staff)


def assert_no_answers_recorded(interview: Interview) -> None:
    assert not Answer.objects.filter(interview=interview).exists()
    assert not AuditEvent.objects.filter(action="screening.answer_recorded").exists()


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("owes_money", "perhaps", "Choose yes or no"),
        ("date_of_birth", "31/02/2020", "Enter a real date, like 2001-04-27"),
        ("date_of_birth", "2020-02-31", "Enter a real date, like 2001-04-27"),
        ("date_of_birth", "2999-01-01", "Enter a date in the past"),
        ("nationality", "XXX", "Choose a country from the list"),
        ("countries_transited", ["FRA", "XXX"], "Choose countries from the list"),
        ("dob_basis", "guessed", "Choose one of the options"),
        ("family_name", "   ", "Enter the answer, or say why there is none"),
        ("family_name", "x" * 301, "Use 300 characters or fewer in this answer"),
        ("language_spoken", "klingon", "Choose a language from the list"),
    ],
)
def test_an_answer_that_does_not_fit_its_question_is_refused(
    staff, interview, question_id, value, message
):
    with pytest.raises(ValidationFailed) as refused:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id=question_id,
            state=AnswerState.ANSWERED,
            value=value,
        )
    assert fields(refused.value) == {question_id: [message]}
    assert_no_answers_recorded(interview)


def test_a_question_whose_condition_is_false_is_not_answered(staff, interview):
    not_asked = "This question is not asked in this interview, given the answers so far."
    with pytest.raises(ValidationFailed) as before_the_condition:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="owed_to_whom",
            state=AnswerState.ANSWERED,
            value="A smuggler",
        )
    assert fields(before_the_condition.value) == {"owed_to_whom": [not_asked]}

    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="owes_money",
        state=AnswerState.ANSWERED,
        value=False,
    )
    with pytest.raises(ValidationFailed) as condition_false:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="owed_to_whom",
            state=AnswerState.ANSWERED,
            value="A smuggler",
        )
    assert fields(condition_false.value) == {"owed_to_whom": [not_asked]}
    assert not Answer.objects.filter(question_id="owed_to_whom").exists()


def test_a_question_the_welfare_interview_skips_is_not_answered_for_a_child(staff):
    accredit(staff.officer, "child_interviews")
    interview = interview_in_progress(staff, child=True, responsible_adult="Foster carer")
    with pytest.raises(ValidationFailed) as refused:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="convicted",
            state=AnswerState.ANSWERED,
            value=False,
        )
    assert "convicted" in fields(refused.value)
    assert_no_answers_recorded(interview)


def test_an_unknown_question_is_refused(staff, interview):
    with pytest.raises(ValidationFailed) as refused:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="favourite_colour",
            state=AnswerState.ANSWERED,
            value="Blue",
        )
    assert str(refused.value.message) == "This question is not in the questionnaire."
    assert_no_answers_recorded(interview)


@pytest.mark.parametrize("reason", ["", "   ", "No time"])
def test_not_asked_needs_a_reason(staff, interview, reason):
    with pytest.raises(ValidationFailed) as refused:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="journey_account",
            state=AnswerState.NOT_ASKED,
            reason=reason,
        )
    assert fields(refused.value) == {
        "journey_account": ["Say why this question was not asked, in at least 10 characters"]
    }
    assert_no_answers_recorded(interview)


def test_an_answer_is_answered_declined_no_answer_or_not_asked(staff, interview):
    with pytest.raises(ValidationFailed) as refused:
        answer_record(
            actor=staff.officer, interview=interview, question_id="family_name", state="skipped"
        )
    assert fields(refused.value) == {
        "family_name": ["Say whether it was answered, not answered, declined or not asked"]
    }
    assert_no_answers_recorded(interview)


def test_only_the_interviews_officer_records_it(staff, interview, make_user):
    other = make_user(Role.SCREENING_OFFICER, locations=[staff.place])
    with pytest.raises(PermissionDenied) as refused:
        answer_record(
            actor=other,
            interview=interview,
            question_id="family_name",
            state=AnswerState.ANSWERED,
            value="Haddad",
        )
    assert str(refused.value.message) == "Only the officer conducting this interview can record it."
    assert_no_answers_recorded(interview)


def test_several_answers_are_saved_all_or_none_with_every_problem_named(staff, interview):
    with pytest.raises(ValidationFailed) as refused:
        answers_record(
            actor=staff.officer,
            interview=interview,
            entries=[
                {"question_id": "family_name", "state": "answered", "value": "Haddad"},
                {"question_id": "owes_money", "state": "answered", "value": "perhaps"},
                {"question_id": "nationality", "state": "answered", "value": "XXX"},
            ],
        )
    assert fields(refused.value) == {
        "owes_money": ["Choose yes or no"],
        "nationality": ["Choose a country from the list"],
    }
    assert not Answer.objects.filter(interview=interview).exists()

    saved = answers_record(
        actor=staff.officer,
        interview=interview,
        entries=[
            {"question_id": "family_name", "state": "answered", "value": "Haddad"},
            {"question_id": "owes_money", "state": "answered", "value": "no"},
        ],
    )
    assert [answer.value for answer in saved] == ["Haddad", False]


# --- The read-back and amendments -----------------------------------------------------------


def answered_and_reading_back(staff: Staff, interview: Interview) -> None:
    answer_all(interview, officer=staff.officer)
    read_back_start(actor=staff.officer, interview=interview, language="ar", method="read")


def test_an_amendment_keeps_the_original_beside_the_correction(staff, interview):
    answered_and_reading_back(staff, interview)

    amendment = answer_amend(
        actor=staff.officer,
        interview=interview,
        question_id="family_name",
        state=AnswerState.ANSWERED,
        value="Hadad",
        reason=AMENDED,
    )

    assert (amendment.original_state, amendment.original_value) == ("answered", "Haddad")
    assert (amendment.new_state, amendment.new_value) == ("answered", "Hadad")
    assert amendment.reason == AMENDED
    assert amendment.amended_by == staff.officer
    assert Answer.objects.get(interview=interview, question_id="family_name").value == "Hadad"
    event = AuditEvent.objects.get(action="screening.answer_amended")
    assert event.payload == {"question": "family_name", "amendment": amendment.pk}


@pytest.mark.parametrize("reason", ["", "Typo"])
def test_an_amendment_needs_a_reason(staff, interview, reason):
    answered_and_reading_back(staff, interview)
    with pytest.raises(ValidationFailed) as refused:
        answer_amend(
            actor=staff.officer,
            interview=interview,
            question_id="family_name",
            state=AnswerState.ANSWERED,
            value="Hadad",
            reason=reason,
        )
    assert str(refused.value.message) == (
        "Say why the answer is corrected, in at least 10 characters"
    )
    assert not Amendment.objects.exists()
    assert Answer.objects.get(interview=interview, question_id="family_name").value == "Haddad"


def test_an_amendment_is_made_at_the_read_back_not_before(staff, interview):
    answer_all(interview, officer=staff.officer)
    with pytest.raises(Conflict) as refused:
        answer_amend(
            actor=staff.officer,
            interview=interview,
            question_id="family_name",
            state=AnswerState.ANSWERED,
            value="Hadad",
            reason=AMENDED,
        )
    assert refused.value.code == "read_back_not_started"
    assert not Amendment.objects.exists()
    assert Answer.objects.get(interview=interview, question_id="family_name").value == "Haddad"


def test_a_confirmed_record_cannot_be_amended(staff, interview):
    answered_and_reading_back(staff, interview)
    read_back_confirm(actor=staff.officer, interview=interview)
    with pytest.raises(Conflict) as refused:
        answer_amend(
            actor=staff.officer,
            interview=interview,
            question_id="family_name",
            state=AnswerState.ANSWERED,
            value="Hadad",
            reason=AMENDED,
        )
    assert refused.value.code == "read_back_confirmed"
    assert not Amendment.objects.exists()


def test_an_amendment_that_changes_nothing_is_refused(staff, interview):
    answered_and_reading_back(staff, interview)
    with pytest.raises(ValidationFailed) as refused:
        answer_amend(
            actor=staff.officer,
            interview=interview,
            question_id="family_name",
            state=AnswerState.ANSWERED,
            value="Haddad",
            reason=AMENDED,
        )
    assert str(refused.value.message) == "The correction is the same as the answer recorded."
    assert not Amendment.objects.exists()


def test_an_answer_changes_only_as_an_amendment_once_the_read_back_started(staff, interview):
    answered_and_reading_back(staff, interview)
    with pytest.raises(Conflict) as refused:
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="family_name",
            state=AnswerState.ANSWERED,
            value="Hadad",
        )
    assert refused.value.code == "read_back_started"
    assert Answer.objects.get(interview=interview, question_id="family_name").value == "Haddad"
    assert not Amendment.objects.exists()


def test_the_read_back_is_confirmed_only_after_it_started(staff, interview):
    with pytest.raises(Conflict) as refused:
        read_back_confirm(actor=staff.officer, interview=interview)
    assert refused.value.code == "read_back_not_started"
    interview.refresh_from_db()
    assert interview.read_back_confirmed_at is None


def test_the_read_back_is_in_a_language_the_questionnaire_has(staff, interview):
    with pytest.raises(ValidationFailed) as refused:
        read_back_start(actor=staff.officer, interview=interview, language="ti", method="sung")
    assert set(fields(refused.value)) == {"language", "method"}
    interview.refresh_from_db()
    assert interview.read_back_started_at is None


def test_the_language_confirmed_must_be_the_interviews(staff, interview):
    with pytest.raises(ValidationFailed) as refused:
        language_confirm(actor=staff.officer, interview=interview, language="fa")
    assert "adjourn and start again" in str(refused.value.message)
    interview.refresh_from_db()
    assert interview.language_confirmed_at is None


# --- The interpreter's declaration -----------------------------------------------------------


def test_the_interviews_interpreter_signs_the_declaration_with_their_account(staff, interview):
    declaration = declaration_sign(actor=staff.interpreter_account, interview=interview)
    assert declaration.method == "signed"
    assert declaration.interpreter == staff.interpreter
    assert declaration.recorded_by == staff.interpreter_account
    assert "adding nothing and leaving nothing out" in declaration.wording
    assert AuditEvent.objects.get(action="screening.interpreter_declared").payload == {
        "method": "signed",
        "interpreter": staff.interpreter.pk,
    }


def test_no_one_else_signs_the_interpreters_declaration(staff, interview, make_user):
    another = make_user(Role.INTERPRETER, locations=[staff.place])
    interpreter(account=another)
    unregistered = make_user(Role.INTERPRETER, locations=[staff.place])
    for account in (another, unregistered):
        with pytest.raises(PermissionDenied) as refused:
            declaration_sign(actor=account, interview=interview)
        assert str(refused.value.message) == "Only the interpreter of this interview can sign it."
    with pytest.raises(PermissionDenied):
        declaration_sign(actor=staff.officer, interview=interview)
    assert not InterpreterDeclaration.objects.exists()


def test_the_declaration_is_made_once(staff, interview):
    declaration_sign(actor=staff.interpreter_account, interview=interview)
    with pytest.raises(Conflict) as twice:
        declaration_sign(actor=staff.interpreter_account, interview=interview)
    assert twice.value.code == "declared"
    with pytest.raises(Conflict):
        declaration_record_oral(actor=staff.officer, interview=interview)
    assert InterpreterDeclaration.objects.count() == 1


def test_an_interview_without_an_interpreter_has_no_declaration(staff):
    case = scheduled_case(staff)
    interview = started(case, officer=staff.officer)
    with pytest.raises(Conflict) as refused:
        declaration_record_oral(actor=staff.officer, interview=interview)
    assert refused.value.code == "no_interpreter"
    assert not InterpreterDeclaration.objects.exists()
