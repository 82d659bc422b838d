"""What the interview's pages share: who may open them, the interview's heading, the gate's
verdicts as a page shows them, and refusals shown in the error summary.

An interpreter's account opens only the declaration pages (``declarations.py``). Every other
interview page refuses it, and a POST from it, which would be an attempt to record, is refused
by ``refuse_interpreter_account`` first, so the attempt is audited as a security event.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, NotFound, PermissionDenied
from safepassage.core.models import User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm, Role
from safepassage.policy.services import PolicyBlocked, policy_verdict
from safepassage.screening.forms import interview_language_name
from safepassage.screening.models import Interview, InterviewStatus
from safepassage.screening.selectors import interview_get
from safepassage.screening.services.recording import refuse_interpreter_account

INTERPRETER_REFUSED = _(
    "An interpreter's account opens only the interpreter's declaration. The officer records "
    "the interview."
)
NOT_YOURS = _("Only the officer conducting this interview can record it.")


def is_interpreter_account(user: User) -> bool:
    """The same test as ``services.recording.refuse_interpreter_account``."""
    return user.has_role(Role.INTERPRETER) or hasattr(user, "interpreter_record")


def _interpreted(user: User, interview_id: int) -> Interview | None:
    """The interview, if this interpreter's account interprets it (for the audit event)."""
    try:
        return interview_get(actor=user, interview_id=interview_id)
    except DomainError:
        return None


def screening_officer(request: HttpRequest, interview_id: int | None = None) -> User:
    """The signed-in screening officer, or 403: never an interpreter's account, whatever
    roles it holds."""
    user = request_actor(request)
    if is_interpreter_account(user):
        if request.method == "POST":
            interview = _interpreted(user, interview_id) if interview_id is not None else None
            refuse_interpreter_account(user, interview=interview)
        raise PermissionDenied(INTERPRETER_REFUSED)
    require_permission(user, Perm.CONDUCT_INTERVIEW)
    return user


def officer_interview(request: HttpRequest, interview_id: int) -> Interview:
    """The interview for a screening officer's page, or 403/404."""
    user = screening_officer(request, interview_id)
    return interview_get(actor=user, interview_id=interview_id)


def officer_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view receives the interview instead of its id."""

    @wraps(view)
    def wrapped(request: HttpRequest, interview_id: int, **kwargs: Any) -> HttpResponse:
        return view(request, officer_interview(request, interview_id), **kwargs)

    return wrapped


def reraise_refusal(error: DomainError) -> None:
    """A refusal of the person (403) or the record (404) is a page of its own, not a message
    on the form."""
    if isinstance(error, PermissionDenied | NotFound):
        raise error


def can_record(request: HttpRequest, interview: Interview) -> bool:
    return (
        interview.status == InterviewStatus.IN_PROGRESS
        and interview.officer_id == request_actor(request).pk
    )


def heading(request: HttpRequest, interview: Interview) -> dict[str, Any]:
    """The context every interview page starts with."""
    return {
        "interview": interview,
        "case": interview.case,
        "language_name": interview_language_name(interview.language),
        "can_record": can_record(request, interview),
        "is_officer": interview.officer_id == request_actor(request).pk,
    }


# --- The gate --------------------------------------------------------------------------------


def verdict_preview(action: str, facts: dict[str, Any]) -> dict[str, Any]:
    """What the gate would say now, in the reader's language; stores nothing."""
    return policy_verdict(action=action, facts=facts).as_dict()


def blocked_verdict(blocked: PolicyBlocked) -> dict[str, Any]:
    """The verdict that refused the action, in the reader's language (a stored verdict is in
    the service's own language), with its blocking findings first."""
    evaluation = blocked.evaluation
    try:
        verdict = policy_verdict(
            action=evaluation.action, facts=evaluation.facts, on=evaluation.on
        ).as_dict()
    except DomainError:
        verdict = evaluation.verdict
    verdict["findings"] = sorted(
        verdict["findings"], key=lambda finding: finding["effect"] != "block"
    )
    return verdict


def blocked_items(blocked: PolicyBlocked) -> list[dict[str, str]]:
    """The error summary's lines for a blocked action: each blocking finding, with its law."""
    return [
        {
            "text": f"{finding['explanation']} ({finding['citation']['instrument']}, "
            f"{finding['citation']['provision']})",
            "href": "#gate",
        }
        for finding in blocked_verdict(blocked)["findings"]
        if finding["effect"] == "block"
    ]


def spread_error(form: Any, error: DomainError) -> list[dict[str, str]]:
    """A service's refusal on a form: each message against its field, and those of no field
    returned as error summary lines."""
    problems = []
    for field, field_messages in error.field_errors().items():
        for message in field_messages:
            if field in form.fields:
                form.add_error(field, message)
            else:
                problems.append({"text": message, "href": ""})
    return problems


def error_items(error: DomainError, anchors: dict[str, str] | None = None) -> list[dict[str, str]]:
    """A service's refusal as error summary lines, each linking to its field where known."""
    anchors = anchors or {}
    if isinstance(error, PolicyBlocked):
        return blocked_items(error)
    items = []
    for name, messages in error.field_errors().items():
        for message in messages:
            items.append({"text": str(message), "href": anchors.get(name, "")})
    return items
