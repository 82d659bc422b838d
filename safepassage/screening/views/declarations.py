"""The interpreter's own pages: the interviews they interpret, and their declaration, signed
with their own account. These are the only interview pages an interpreter's account opens."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, PermissionDenied
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import paginate, permission_required
from safepassage.screening.forms import interview_language_name
from safepassage.screening.models import Interview, InterviewStatus
from safepassage.screening.selectors import interview_get, interviews_to_declare
from safepassage.screening.services.recording import DECLARATION, declaration_sign
from safepassage.screening.views.common import reraise_refusal


def _declared(interview: Interview) -> bool:
    return hasattr(interview, "interpreter_declaration")


@require_http_methods(["GET"])
@permission_required(Perm.SIGN_INTERPRETER_DECLARATION)
def declaration_list(request: HttpRequest) -> HttpResponse:
    context = paginate(request, interviews_to_declare(actor=request_actor(request)))
    context["rows"] = [
        {
            "interview": interview,
            "declared": _declared(interview),
            "language": interview_language_name(interview.language),
            "can_sign": interview.status == InterviewStatus.IN_PROGRESS
            and not _declared(interview),
        }
        for interview in context["page"]
    ]
    return render(request, "screening/interview/declarations.html", context)


def _own_interview(request: HttpRequest, interview_id: int) -> Interview:
    user = request_actor(request)
    interview = interview_get(actor=user, interview_id=interview_id)
    if interview.interpreter is None or interview.interpreter.account_id != user.pk:
        raise PermissionDenied(_("Only the interpreter of this interview can sign it."))
    return interview


@require_http_methods(["GET", "POST"])
@permission_required(Perm.SIGN_INTERPRETER_DECLARATION)
def declaration_sign_view(request: HttpRequest, interview_id: int) -> HttpResponse:
    interview = _own_interview(request, interview_id)
    problem = ""
    status = 200
    if request.method == "POST":
        try:
            declaration_sign(actor=request_actor(request), interview=interview)
        except DomainError as error:
            reraise_refusal(error)
            problem, status = str(error.message), error.http_status
        else:
            messages.success(request, _("Your declaration is signed and recorded."))
            return redirect("screening:declarations")
    context = {
        "interview": interview,
        "declaration": getattr(interview, "interpreter_declaration", None),
        "wording": DECLARATION,
        "language": interview_language_name(interview.language),
        "can_sign": interview.status == InterviewStatus.IN_PROGRESS and not _declared(interview),
        "problems": [{"text": problem, "href": ""}] if problem else [],
    }
    return render(request, "screening/interview/declaration_sign.html", context, status=status)
