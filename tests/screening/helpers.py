"""Set-ups for the screening and case service tests, beside tests/cases/builders.py: the staff of
one location, answers with chosen values, and an interview ready for completion but for one
thing. Everything is made through the services; nothing is shared between tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from safepassage.cases.models import AsylumCase
from safepassage.core.models import Location, User
from safepassage.core.roles import Role
from safepassage.screening.models import AnswerState, Interpreter, Interview
from safepassage.screening.selectors import answers_of, interview_questions, questionnaire_of
from safepassage.screening.services.recording import (
    answer_record,
    declaration_record_oral,
    language_confirm,
    read_back_confirm,
    read_back_start,
    understanding_confirm,
)
from tests.cases.builders import (
    VALID_ANSWERS,
    accredit,
    interpreter,
    registered,
    scheduled,
    started,
)
from tests.factories import LocationFactory

# The confirmations a completion needs, each of which a test may leave out.
CONFIRMATIONS = ("language", "understanding", "declaration", "read_back")


@dataclass(frozen=True)
class Staff:
    place: Location
    registrar: User
    manager: User
    officer: User
    interpreter_account: User
    interpreter: Interpreter


def make_staff(make_user: Callable[..., User]) -> Staff:
    """The people of one location: a registration officer, a location manager, an accredited
    screening officer, and an interpreter on the register with their own account."""
    place = cast(Location, LocationFactory())
    officer = make_user(Role.SCREENING_OFFICER, locations=[place])
    accredit(officer, "screening")
    account = make_user(Role.INTERPRETER, locations=[place])
    return Staff(
        place=place,
        registrar=make_user(Role.REGISTRATION_OFFICER, locations=[place]),
        manager=make_user(Role.LOCATION_MANAGER, locations=[place]),
        officer=officer,
        interpreter_account=account,
        interpreter=interpreter(account=account),
    )


def fresh(user: User) -> User:
    """The user read again, after a test changed their roles (roles are cached on the object)."""
    return User.objects.get(pk=user.pk)


def give_role(user: User, role: str) -> User:
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role))
    return fresh(user)


def value_for(interview: Interview, question: Any) -> Any:
    if question.type == "choice":
        vocabulary = questionnaire_of(interview.questionnaire).vocabularies[question.vocabulary]
        return next(iter(vocabulary))
    return VALID_ANSWERS[question.type]


def answer_all(
    interview: Interview, *, officer: User, overrides: dict[str, Any] | None = None
) -> None:
    """Answer every question the interview shows, with a valid value, or the one in
    ``overrides``; questions that appear because of an answer are answered too."""
    overrides = overrides or {}
    asked: set[str] = set()
    while True:
        pending = [
            question
            for question in interview_questions(interview, answers_of(interview))
            if question.id not in asked
        ]
        if not pending:
            return
        for question in pending:
            answer_record(
                actor=officer,
                interview=interview,
                question_id=question.id,
                state=AnswerState.ANSWERED,
                value=overrides.get(question.id, value_for(interview, question)),
            )
            asked.add(question.id)


def confirm(interview: Interview, *, officer: User, leave_out: str = "") -> Interview:
    """Every confirmation the completion needs, but ``leave_out`` (one of CONFIRMATIONS)."""
    assert leave_out in ("", *CONFIRMATIONS)
    if leave_out != "language":
        language_confirm(actor=officer, interview=interview, language=interview.language)
    if interview.interpreter_id is not None:
        if leave_out != "understanding":
            understanding_confirm(actor=officer, interview=interview)
        if leave_out != "declaration":
            declaration_record_oral(actor=officer, interview=interview)
    if leave_out != "read_back":
        read_back_start(actor=officer, interview=interview, language="ar", method="read")
        read_back_confirm(actor=officer, interview=interview)
    interview.refresh_from_db()
    return interview


def interview_in_progress(
    staff: Staff, *, child: bool = False, responsible_adult: str = ""
) -> Interview:
    """A case registered, scheduled for ``staff.officer`` and started with the interpreter."""
    case = registered(registrar=staff.registrar, location=staff.place, child=child)
    scheduled(case, officer=staff.officer, manager=staff.manager)
    return started(
        case,
        officer=staff.officer,
        with_interpreter=staff.interpreter,
        responsible_adult=responsible_adult,
    )


def case_of(interview: Interview) -> AsylumCase:
    return AsylumCase.objects.get(pk=interview.case_id)
