"""Deciding from the case view (propose; approve, agree or send back), and the decisions waiting
for a senior or a second decision maker."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from safepassage.applications import selectors
from safepassage.applications.models import (
    Decision,
    DecisionState,
)
from safepassage.applications.services import decisions as service
from safepassage.applications.views.case_page import case_page, case_redirect
from safepassage.applications.views.decisions_panel import ProposeForm, ReviewForm
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def propose(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            decision = service.decision_propose(
                actor=actor,
                application=application,
                outcome=form.cleaned_data["outcome"],
                reasons=form.cleaned_data["reasons"],
                explanation=form.cleaned_data["explanation"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, str(_PROPOSED_MESSAGES[decision.state]))
            return case_redirect(application)
    messages.error(request, _("The decision was not made. Check the decision form."))
    # The case view again, with this form's errors in its decision panel.
    return case_page(request, application, propose_form=form, status=400)


_PROPOSED_MESSAGES: dict[str, Any] = {
    DecisionState.ISSUED: _("The decision has been issued and the letters sent."),
    DecisionState.AWAITING_APPROVAL: _(
        "The decision is waiting for a senior caseworker's approval."
    ),
    DecisionState.AWAITING_SECOND_LOOK: _("The decision is waiting for a second decision maker."),
}


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def review(request: HttpRequest, public_id: uuid.UUID, decision_id: int) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    decision = get_object_or_404(Decision, pk=decision_id, application=application)
    form = ReviewForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    action = request.POST.get("action")
    try:
        if action == "approve":
            service.decision_approve(actor=actor, decision=decision, reason=note)
            messages.success(request, _("You approved the decision. It has been issued."))
        elif action == "agree":
            service.decision_agree(actor=actor, decision=decision, note=note)
            messages.success(request, _("You agreed the decision. It has been issued."))
        elif action == "send_back":
            service.decision_send_back(actor=actor, decision=decision, note=note)
            messages.success(request, _("The decision has been sent back."))
        else:
            messages.error(request, _("Choose what to do with the decision."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return case_redirect(application)


@permission_required(Perm.DECIDE_APPLICATION)
def waiting(request: HttpRequest) -> HttpResponse:
    """Decisions waiting for someone other than their proposer: approvals for seniors, second
    looks for any decision maker."""
    rows = selectors.decisions_waiting(request_actor(request))
    return render(request, "applications/staff/decisions_waiting.html", {"decisions": rows})
