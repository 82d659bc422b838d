"""The screening part of the gate's facts (POLICY.md §4 ``screening``), from an interview."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safepassage.cases.models import AsylumCase
from safepassage.policy.services import london_today
from safepassage.screening.models import AnswerState, Interview, InterviewStatus
from safepassage.screening.selectors import answers_of, interview_questions
from safepassage.workforce.selectors import accreditations_held

ASKED = {AnswerState.ANSWERED, AnswerState.NO_ANSWER, AnswerState.DECLINED}
STATUS = {
    InterviewStatus.IN_PROGRESS: "in_progress",
    InterviewStatus.ADJOURNED: "in_progress",
    InterviewStatus.COMPLETED: "completed",
}


def missing_mandatory(interview: Interview) -> list[Any]:
    """The mandatory questions shown in this interview that were not asked. "Asked, no answer"
    and "declined" count as asked; "not asked" does not."""
    answers = answers_of(interview)
    return [
        question
        for question in interview_questions(interview, answers)
        if question.mandatory
        and (question.id not in answers or answers[question.id].state not in ASKED)
    ]


def interview_facts(interview: Interview) -> dict[str, Any]:
    interpreter = interview.interpreter
    interpreter_account = interpreter.account_id if interpreter else None
    recorders = set(interview.answers.values_list("recorded_by_id", flat=True))
    recorders |= set(interview.amendments.values_list("amended_by_id", flat=True))
    recorders.add(interview.officer_id)
    facts: dict[str, Any] = {
        "status": STATUS[InterviewStatus(interview.status)],
        "mandatory_sections_complete": not missing_mandatory(interview),
        "language_confirmed": interview.language_confirmed_at is not None,
        "interpreter_used": interpreter is not None,
        "read_back_confirmed": interview.read_back_confirmed_at is not None,
        "officer_accreditations": sorted(
            accreditations_held(
                holder=interview.officer,
                on=timezone.localdate(interview.ended_at) if interview.ended_at else london_today(),
            )
        ),
        "responsible_adult_present": bool(interview.responsible_adult),
        "interpreter_is_recorder": interpreter_account is not None
        and interpreter_account in recorders,
    }
    if interpreter is not None:
        facts["interpreter_declaration"] = hasattr(interview, "interpreter_declaration")
        facts["understanding_confirmed"] = interview.understanding_confirmed_at is not None
    return facts


def latest_screening_facts(case: AsylumCase) -> dict[str, Any]:
    """The facts of the case's latest interview, or a screening not started."""
    interview = case.interviews.order_by("-started_at").first()
    if interview is None:
        return {"status": "not_started"}
    return interview_facts(interview)
