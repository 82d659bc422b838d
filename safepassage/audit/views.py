"""Audit pages: the event log and the verification record."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepassage.audit import selectors
from safepassage.audit.forms import AuditFilterForm
from safepassage.audit.services import audit_verification_request
from safepassage.core.actors import request_actor
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import paginate, permission_required


@permission_required(Perm.VIEW_AUDIT_LOG)
def event_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    found = selectors.audit_event_list(
        actor=request_actor(request),
        **{key: value for key, value in criteria.items() if value},
    )
    latest = selectors.audit_verification_list(actor=request_actor(request)).first()
    return render(
        request,
        "audit/event_list.html",
        {"filters": form, "latest_verification": latest, **paginate(request, found, per_page=50)},
    )


@permission_required(Perm.VIEW_AUDIT_LOG)
def verification_list(request: HttpRequest) -> HttpResponse:
    found = selectors.audit_verification_list(actor=request_actor(request))
    return render(request, "audit/verification_list.html", paginate(request, found))


@require_POST
@permission_required(Perm.VERIFY_AUDIT_CHAIN)
def verification_request(request: HttpRequest) -> HttpResponse:
    audit_verification_request(actor=request_actor(request))
    messages.success(
        request,
        _("Verification requested. The task worker will record the result here in a moment."),
    )
    return redirect("audit:verification_list")
