"""The identity check's actions on the case view: run it, resolve it, fail it. Each posts here,
calls one service and goes back to the case; a refused resolution shows the case again with the
form and its errors."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from safepassage.applications import selectors
from safepassage.applications.models import Application, ApplicationCheck, CheckKind
from safepassage.applications.services.identity import (
    NEW_PERSON,
    SAME_PERSON,
    identity_check_fail,
    identity_check_resolve,
    identity_check_run,
)
from safepassage.applications.views.case_page import case_page, case_redirect
from safepassage.applications.views.identity_panel import (
    FAIL_PREFIX,
    RESOLVE_PREFIX,
    IdentityFailForm,
    IdentityResolveForm,
)
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required

ANCHOR = "#identity-check"


def _again(request: HttpRequest, application: Application, **forms: object) -> HttpResponse:
    """The case page again, with the panel's form and its errors."""
    return case_page(request, application, status=400, **forms)


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def run(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    try:
        check = identity_check_run(actor=actor, application=application)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        found = len(check.evidence.get("candidates", []))
        if found:
            messages.success(
                request,
                ngettext(
                    "The identity check found %(count)d person on record who may be the "
                    "applicant. Compare them and decide.",
                    "The identity check found %(count)d people on record who may be the "
                    "applicant. Compare them and decide.",
                    found,
                )
                % {"count": found},
            )
        else:
            messages.success(
                request,
                _(
                    "The identity check found nobody on record who looks like the applicant. "
                    "Confirm they are a new person."
                ),
            )
    return case_redirect(application, ANCHOR)


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def resolve(request: HttpRequest, public_id: uuid.UUID, check_id: int) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    check = get_object_or_404(
        ApplicationCheck.objects.select_related("application"),
        pk=check_id,
        application=application,
        kind=CheckKind.IDENTITY,
    )
    form = IdentityResolveForm(request.POST, prefix=RESOLVE_PREFIX)
    if form.is_valid():
        choice = form.cleaned_data["person"]
        try:
            identity_check_resolve(
                actor=actor,
                check=check,
                decision=NEW_PERSON if choice == NEW_PERSON else SAME_PERSON,
                person_public_id=None if choice == NEW_PERSON else choice,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if choice == NEW_PERSON:
                messages.success(
                    request, _("Identity check passed: the applicant is recorded as a new person.")
                )
            else:
                messages.success(
                    request,
                    _("Identity check passed: the applicant is linked to the person on record."),
                )
            return case_redirect(application, ANCHOR)
    return _again(request, application, identity_resolve_form=form)


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def fail(request: HttpRequest, public_id: uuid.UUID, check_id: int) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    check = get_object_or_404(
        ApplicationCheck.objects.select_related("application"),
        pk=check_id,
        application=application,
        kind=CheckKind.IDENTITY,
    )
    form = IdentityFailForm(request.POST, prefix=FAIL_PREFIX)
    if form.is_valid():
        try:
            identity_check_fail(actor=actor, check=check, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("Identity check failed: the identity cannot be established.")
            )
            return case_redirect(application, ANCHOR)
    return _again(request, application, identity_fail_form=form)
