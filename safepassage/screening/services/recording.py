"""Recording an interview: answers, the applicant's confirmations, the read-back and its
amendments, the interpreter's declaration, and concerns about an interpreter.

Only the officer conducting the interview records it. An interpreter's account can never record
anything, whatever roles it holds: the refusal is itself recorded, as a security event.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, human, staff_user
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm, Role
from safepassage.core.validation import FieldErrors, required_reason
from safepassage.screening import events
from safepassage.screening.models import (
    Amendment,
    Answer,
    AnswerState,
    ConcernKind,
    DeclarationMethod,
    InterpreterConcern,
    InterpreterDeclaration,
    Interview,
    InterviewStatus,
)
from safepassage.screening.questionnaire import AnswerError, Question, clean_value
from safepassage.screening.selectors import (
    answers_of,
    interview_questions,
    questionnaire_of,
)

REASON_MINIMUM = 10
CONCERN_MINIMUM = 20
DECLARATION = _(
    "I have interpreted faithfully and accurately everything said in this interview, between "
    "the officer and the applicant, adding nothing and leaving nothing out. I did not answer "
    "for the applicant. I have no conflict of interest with the applicant."
)


def refuse_interpreter_account(actor: Actor, *, interview: Interview | None) -> None:
    """An interpreter's account never records answers or runs an interview (POLICY.md §3:
    "The interpreter is never the person who records the answers").

    Services call this first, before the permission check and outside their transaction: an
    interpreter's account usually holds no recording permission, and its attempt must still be
    recorded as a security event, not refused as an ordinary missing permission."""
    user = staff_user(actor)
    if user is None:
        return
    is_interpreter = user.has_role(Role.INTERPRETER) or hasattr(user, "interpreter_record")
    interprets_this = (
        interview is not None
        and interview.interpreter is not None
        and interview.interpreter.account_id == user.pk
    )
    if is_interpreter or interprets_this:
        with transaction.atomic():
            audit_append(
                actor=actor,
                event=events.RECORDER_REFUSED,
                target=interview,
                object_type="screening.interview" if interview is None else "",
                object_id="none" if interview is None else "",
                payload={"interview": interview.pk if interview else None},
            )
        raise PermissionDenied(
            _("An interpreter never records an interview. The officer records the answers."),
            code="interpreter_cannot_record",
        )


def _lock(interview: Interview, officer_id: int | None) -> Interview:
    from safepassage.screening.services.interviews import lock_open_interview

    return lock_open_interview(interview, officer_id)


def _question(interview: Interview, question_id: str, answers: dict[str, Answer]) -> Question:
    """The question, if this interview asks it now (its variant, its condition)."""
    questionnaire = questionnaire_of(interview.questionnaire)
    question = questionnaire.questions.get(question_id)
    if question is None:
        raise ValidationFailed(_("This question is not in the questionnaire."), field="question")
    shown = {item.id for item in interview_questions(interview, answers)}
    if question_id not in shown:
        raise ValidationFailed(
            _("This question is not asked in this interview, given the answers so far."),
            field=question_id,
        )
    return question


def _clean(
    interview: Interview, question: Question, state: str, value: Any, reason: str
) -> tuple[Any, str]:
    if state not in AnswerState.values:
        raise ValidationFailed(
            _("Say whether it was answered, not answered, declined or not asked"),
            field=question.id,
        )
    if state == AnswerState.ANSWERED:
        try:
            return clean_value(questionnaire_of(interview.questionnaire), question, value), ""
        except AnswerError as error:
            raise ValidationFailed(str(error), field=question.id) from None
    if state == AnswerState.NOT_ASKED:
        reason = " ".join(str(reason or "").split())
        if len(reason) < REASON_MINIMUM:
            raise ValidationFailed(
                _("Say why this question was not asked, in at least %(minimum)s characters")
                % {"minimum": REASON_MINIMUM},
                field=question.id,
            )
        return None, reason[:1000]
    return None, ""


def answer_record(
    *,
    actor: Actor,
    interview: Interview,
    question_id: str,
    state: str,
    value: Any = None,
    reason: str = "",
) -> Answer:
    """Record (or change, before the read-back) the answer to one question."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    with transaction.atomic():
        locked = _lock(interview, officer.pk)
        if locked.read_back_started_at is not None:
            raise Conflict(
                _(
                    "The record is being read back: correct an answer as an amendment, "
                    "with the reason."
                ),
                code="read_back_started",
            )
        answers = answers_of(locked)
        question = _question(locked, question_id, answers)
        value, reason = _clean(locked, question, state, value, reason)
        answer, _created = Answer.objects.update_or_create(
            interview=locked,
            question_id=question_id,
            defaults={
                "state": state,
                "value": value,
                "not_asked_reason": reason,
                "recorded_by": officer,
                "recorded_at": timezone.now(),
            },
        )
        audit_append(
            actor=actor,
            event=events.ANSWER_RECORDED,
            target=locked,
            # The question and how it was answered; never the answer.
            payload={"question": question_id, "state": state},
        )
    return answer


def answers_record(
    *, actor: Actor, interview: Interview, entries: list[dict[str, Any]]
) -> list[Answer]:
    """Several answers at once (a section's page without JavaScript): all of them, or, if any is
    wrong, none, with every problem named."""
    # Outside the transaction below, so that the audited refusal is not rolled back with it.
    refuse_interpreter_account(actor, interview=interview)
    problems = FieldErrors()
    saved: list[Answer] = []
    with transaction.atomic():
        for entry in entries:
            try:
                with transaction.atomic():
                    saved.append(answer_record(actor=actor, interview=interview, **entry))
            except ValidationFailed as error:
                for field, messages in error.field_errors().items():
                    for message in messages:
                        problems.add(field, message)
        problems.raise_if_any()
    return saved


def language_confirm(
    *, actor: Actor, interview: Interview, language: str, dialect: str = ""
) -> Interview:
    """The applicant confirms the language and dialect of the interview."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    with transaction.atomic():
        locked = _lock(interview, officer.pk)
        language = language.strip().lower()
        if language != locked.language:
            raise ValidationFailed(
                _(
                    "The applicant named another language: adjourn and start again with an "
                    "interpreter for it."
                ),
                field="language",
            )
        locked.dialect = " ".join(dialect.split())[:80] or locked.dialect
        locked.language_confirmed_at = timezone.now()
        locked.save(update_fields=["dialect", "language_confirmed_at"])
        _confirmed(actor, locked, "language")
    return locked


def understanding_confirm(*, actor: Actor, interview: Interview) -> Interview:
    """The applicant confirms they understand the interpreter."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    with transaction.atomic():
        locked = _lock(interview, officer.pk)
        if locked.interpreter_id is None:
            raise Conflict(_("This interview has no interpreter."), code="no_interpreter")
        locked.understanding_confirmed_at = timezone.now()
        locked.save(update_fields=["understanding_confirmed_at"])
        _confirmed(actor, locked, "understanding")
    return locked


def _confirmed(actor: Actor, interview: Interview, what: str) -> None:
    audit_append(
        actor=actor,
        event=events.APPLICANT_CONFIRMED,
        target=interview,
        payload={"confirmed": what},
    )


def read_back_start(*, actor: Actor, interview: Interview, language: str, method: str) -> Interview:
    """Begin reading the record back (or showing it) in ``language``. From now on an answer
    changes only as an amendment, with its reason and the original kept."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    problems = FieldErrors()
    if method not in ("read", "shown"):
        problems.add("method", _("Say whether the record is read aloud or shown"))
    questionnaire = questionnaire_of(interview.questionnaire)
    if language not in questionnaire.languages:
        problems.add("language", _("The questionnaire has no translation in this language"))
    problems.raise_if_any()
    with transaction.atomic():
        locked = _lock(interview, officer.pk)
        locked.read_back_language = language
        locked.read_back_method = method
        if locked.read_back_started_at is None:
            locked.read_back_started_at = timezone.now()
        locked.save(
            update_fields=["read_back_language", "read_back_method", "read_back_started_at"]
        )
    return locked


def answer_amend(
    *,
    actor: Actor,
    interview: Interview,
    question_id: str,
    state: str,
    value: Any = None,
    not_asked_reason: str = "",
    reason: str,
) -> Amendment:
    """Correct an answer at the read-back: the original is kept beside the correction."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    reason = required_reason(
        reason,
        _("Say why the answer is corrected, in at least %(minimum)s characters")
        % {"minimum": REASON_MINIMUM},
        minimum=REASON_MINIMUM,
    )
    with transaction.atomic():
        locked = _lock(interview, officer.pk)
        if locked.read_back_started_at is None:
            raise Conflict(
                _("Amendments are made at the read-back. Change the answer itself instead."),
                code="read_back_not_started",
            )
        if locked.read_back_confirmed_at is not None:
            raise Conflict(
                _("The applicant has confirmed the record: nothing can be corrected now."),
                code="read_back_confirmed",
            )
        answers = answers_of(locked)
        question = _question(locked, question_id, answers)
        value, not_asked_reason = _clean(locked, question, state, value, not_asked_reason)
        current = answers.get(question_id)
        if current is not None and current.state == state and current.value == value:
            raise ValidationFailed(
                _("The correction is the same as the answer recorded."), field=question_id
            )
        amendment = Amendment.objects.create(
            interview=locked,
            question_id=question_id,
            original_state=current.state if current else "",
            original_value=current.value if current else None,
            new_state=state,
            new_value=value,
            reason=reason,
            amended_by=officer,
        )
        Answer.objects.update_or_create(
            interview=locked,
            question_id=question_id,
            defaults={
                "state": state,
                "value": value,
                "not_asked_reason": not_asked_reason,
                "recorded_by": officer,
                "recorded_at": timezone.now(),
            },
        )
        audit_append(
            actor=actor,
            event=events.ANSWER_AMENDED,
            target=locked,
            payload={"question": question_id, "amendment": amendment.pk},
        )
    return amendment


def read_back_confirm(*, actor: Actor, interview: Interview) -> Interview:
    """The applicant confirms the record read back (or shown) to them."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    with transaction.atomic():
        locked = _lock(interview, officer.pk)
        if locked.read_back_started_at is None:
            raise Conflict(
                _("Read the record back to the applicant before they confirm it."),
                code="read_back_not_started",
            )
        locked.read_back_confirmed_at = timezone.now()
        locked.save(update_fields=["read_back_confirmed_at"])
        _confirmed(actor, locked, "read_back")
    return locked


def declaration_sign(*, actor: Actor, interview: Interview) -> InterpreterDeclaration:
    """The interpreter signs the declaration with their own account."""
    require_permission(actor, Perm.SIGN_INTERPRETER_DECLARATION)
    user = human(actor)
    if interview.interpreter is None or interview.interpreter.account_id != user.pk:
        raise PermissionDenied(_("Only the interpreter of this interview can sign it."))
    return _declare(actor, interview, DeclarationMethod.SIGNED, officer_id=None)


def declaration_record_oral(*, actor: Actor, interview: Interview) -> InterpreterDeclaration:
    """The officer records the declaration the interpreter made aloud (an interpreter on the
    telephone, with no account)."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    return _declare(actor, interview, DeclarationMethod.ORAL, officer_id=officer.pk)


def _declare(
    actor: Actor, interview: Interview, method: str, *, officer_id: int | None
) -> InterpreterDeclaration:
    with transaction.atomic():
        locked = _lock(interview, officer_id)
        if locked.interpreter_id is None:
            raise Conflict(_("This interview has no interpreter."), code="no_interpreter")
        if InterpreterDeclaration.objects.filter(interview=locked).exists():
            raise Conflict(_("The declaration has already been made."), code="declared")
        declaration = InterpreterDeclaration.objects.create(
            interview=locked,
            interpreter_id=locked.interpreter_id,
            method=method,
            wording=str(DECLARATION),
            recorded_by=human(actor),
        )
        audit_append(
            actor=actor,
            event=events.INTERPRETER_DECLARED,
            target=locked,
            payload={"method": method, "interpreter": locked.interpreter_id},
        )
    return declaration


def concern_report(
    *, actor: Actor, interview: Interview, kind: str, details: str
) -> InterpreterConcern:
    """An officer reports what they saw an interpreter do; it goes to quality assurance."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    problems = FieldErrors()
    if kind not in ConcernKind.values:
        problems.add("kind", _("Choose what the interpreter did"))
    details = details.strip()
    if len(" ".join(details.split())) < CONCERN_MINIMUM:
        problems.add(
            "details",
            _("Describe what happened in at least %(minimum)s characters")
            % {"minimum": CONCERN_MINIMUM},
        )
    elif len(details) > 5000:
        problems.add("details", _("Use 5000 characters or fewer"))
    problems.raise_if_any()
    with transaction.atomic():
        locked = Interview.objects.select_for_update().get(pk=interview.pk)
        if locked.officer_id != officer.pk:
            raise PermissionDenied(_("Only the officer conducting this interview can report."))
        if locked.interpreter_id is None:
            raise Conflict(_("This interview has no interpreter."), code="no_interpreter")
        if (
            locked.status == InterviewStatus.COMPLETED
            and (timezone.now() - (locked.ended_at or timezone.now())).days > 7
        ):
            raise Conflict(_("Report a concern within a week of the interview."))
        concern = InterpreterConcern.objects.create(
            interview=locked,
            interpreter_id=locked.interpreter_id,
            kind=kind,
            details=details,
            reported_by=officer,
        )
        audit_append(
            actor=actor,
            event=events.INTERPRETER_CONCERN,
            target=concern,
            payload={"interview": locked.pk, "interpreter": locked.interpreter_id, "kind": kind},
        )
    return concern
