"""Decision letters on the web: downloading one (the applicant, their partner, staff), and the
public page that checks a letter's verification code.

A letter is never at a public URL. The applicant's and the partner's download goes through the
portal's scoped selector, staff's through theirs with VIEW_APPLICATION, and a letter of another
application (or of a decision not issued) is a 404 like a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safepassage.applications import selectors
from safepassage.applications.letters import issued_letter_get, letter_content, letter_filename
from safepassage.applications.models import Application, DecisionLetter
from safepassage.applications.services.verification import (
    MALFORMED_CODE_MESSAGE,
    LetterCheck,
    letter_verify,
)
from safepassage.applications.views.documents import private_file_headers
from safepassage.applications.views.portal import actor_required
from safepassage.audit.services import record_read
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, NotFound
from safepassage.core.network import client_address_digest
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required

LETTER_READ_PURPOSE = "decision_letter"


def _letter(application: Application, letter_id: int) -> DecisionLetter:
    letter = issued_letter_get(application, letter_id)
    if letter is None:
        raise NotFound()
    return letter


def _letter_response(letter: DecisionLetter, *, preview: bool) -> HttpResponse:
    response = HttpResponse(letter_content(letter), content_type="application/pdf")
    disposition = "inline" if preview else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{letter_filename(letter)}"'
    response["Content-Length"] = str(letter.size)
    # A preview is shown in the staff case view's frame, with the browser's own PDF viewer.
    private_file_headers(response, framed=preview, sandboxed_policy="default-src 'none'; sandbox")
    return response


@require_http_methods(["GET"])
@actor_required
def own_letter(request: HttpRequest, public_id: uuid.UUID, letter_id: int) -> HttpResponse:
    """The applicant's (or their partner's) letter."""
    actor = request.portal_actor  # type: ignore[attr-defined]
    application = selectors.application_get(actor, public_id)
    return _letter_response(
        _letter(application, letter_id), preview=request.GET.get("preview") == "1"
    )


@require_http_methods(["GET"])
@permission_required(Perm.VIEW_APPLICATION)
def staff_letter(request: HttpRequest, public_id: uuid.UUID, letter_id: int) -> HttpResponse:
    user = request_actor(request)
    application = selectors.application_get(user, public_id)
    letter = _letter(application, letter_id)
    # A letter holds the applicant's name and the decision: opening it is a read of the record.
    record_read(actor=user, target=application, purpose=LETTER_READ_PURPOSE)
    return _letter_response(letter, preview=request.GET.get("preview") == "1")


# --- The public verification page ------------------------------------------------------------


class VerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        help_text=_(
            "It is printed at the end of the letter, like K7QM-2XHD-9TPB. You can type it with "
            "or without the dashes."
        ),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
            }
        ),
        error_messages={
            "required": _("Enter the verification code printed on the letter"),
            "max_length": MALFORMED_CODE_MESSAGE,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone may check a code, without signing in. The code is posted, never put in a URL,
    and the answer is shown in the response to that post (no redirect that would carry it)."""
    form = VerificationForm(request.POST or None)
    result: LetterCheck | None = None
    if request.method == "POST" and form.is_valid():
        try:
            result = letter_verify(
                code_text=form.cleaned_data["code"],
                checked_from=client_address_digest(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # A fresh, empty form under the answer, ready for the next letter.
            form = VerificationForm()
    context: dict[str, Any] = {
        # The portal's header and language link (applications/portal_base.html).
        "portal_namespace": "verify",
        "form": form,
        "result": result,
    }
    return render(request, "applications/verify.html", context)
