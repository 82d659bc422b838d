"""Reads of questionnaires, interpreters and interviews."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safepassage.cases.selectors import case_get
from safepassage.core.actors import Actor, staff_user
from safepassage.core.errors import Conflict, NotFound
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.policy.services import london_today
from safepassage.screening.models import (
    Answer,
    Interpreter,
    Interview,
    QuestionnaireVersion,
    VersionStatus,
)
from safepassage.screening.questionnaire import Questionnaire, parse, shown_questions


def current_version() -> QuestionnaireVersion:
    version = QuestionnaireVersion.objects.filter(status=VersionStatus.CURRENT).first()
    if version is None:
        raise Conflict(
            _("No questionnaire has been published yet. Ask an administrator to publish one."),
            code="no_questionnaire",
        )
    return version


@lru_cache(maxsize=16)
def _parsed(version_id: int, digest: str) -> Questionnaire:
    version = QuestionnaireVersion.objects.get(pk=version_id)
    return parse(version.definition)


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The parsed questionnaire of a version; published ones are parsed once per process (a
    published definition never changes, and its digest is part of the key)."""
    if version.is_published:
        return _parsed(version.pk, version.digest)
    return parse(version.definition)


def versions(*, actor: Actor) -> QuerySet[QuestionnaireVersion]:
    require_permission(actor, Perm.MANAGE_QUESTIONNAIRE)
    return QuestionnaireVersion.objects.select_related("created_by", "published_by").order_by(
        "-number", "-created_at"
    )


def version_get(*, actor: Actor, version_id: int) -> QuestionnaireVersion:
    found = versions(actor=actor).filter(pk=version_id).first()
    if found is None:
        raise NotFound(_("There is no questionnaire version like this."))
    return found


def interpreters(*, actor: Actor, active_only: bool = False) -> QuerySet[Interpreter]:
    if not (actor.has_perm(Perm.MANAGE_INTERPRETERS) or actor.has_perm(Perm.CONDUCT_INTERVIEW)):
        require_permission(actor, Perm.MANAGE_INTERPRETERS)
    found = Interpreter.objects.select_related("account")
    if active_only:
        found = found.filter(is_active=True, accreditation_expires_on__gte=london_today())
    return found.order_by("full_name")


def interpreter_get(*, actor: Actor, interpreter_id: int) -> Interpreter:
    found = interpreters(actor=actor).filter(pk=interpreter_id).first()
    if found is None:
        raise NotFound(_("There is no interpreter like this on the register."))
    return found


def interview_get(*, actor: Actor, interview_id: int) -> Interview:
    """An interview of a case the actor may see; for an interpreter, one they interpret."""
    interview = (
        Interview.objects.select_related(
            "case", "questionnaire", "officer", "interpreter", "interpreter_declaration"
        )
        .filter(pk=interview_id)
        .first()
    )
    if interview is None:
        raise NotFound(_("There is no interview like this."))
    user = staff_user(actor)
    if (
        user is not None
        and interview.interpreter is not None
        and interview.interpreter.account_id == user.pk
    ):
        return interview
    case_get(actor=actor, case_id=interview.case_id, purpose="interview")
    return interview


def interviews_to_declare(*, actor: Actor) -> QuerySet[Interview]:
    """The interviews an interpreter's account interprets, newest first."""
    require_permission(actor, Perm.SIGN_INTERPRETER_DECLARATION)
    user = staff_user(actor)
    return (
        Interview.objects.filter(interpreter__account=user)
        .select_related("case", "interpreter_declaration")
        .order_by("-started_at")
    )


def answers_of(interview: Interview) -> dict[str, Answer]:
    return {answer.question_id: answer for answer in interview.answers.all()}


def answered_values(answers: dict[str, Answer]) -> dict[str, Any]:
    return {ident: answer.value for ident, answer in answers.items() if answer.state == "answered"}


def interview_questions(interview: Interview, answers: dict[str, Answer]) -> list[Any]:
    questionnaire = questionnaire_of(interview.questionnaire)
    return shown_questions(
        questionnaire,
        answered_values(answers),
        welfare=interview.variant == "welfare",
        on=london_today(),
    )
