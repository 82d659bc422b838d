"""Staff pages of arrivals and asylum cases: the list, registering an arrival and its claimants,
the case page (identity, stages, indicators, what the gate sees, the timeline), and the case's
actions: allocating a stage, routing, closing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.applications.grants import grant_find
from safepassage.cases import selectors, services
from safepassage.cases.facts import case_facts
from safepassage.cases.forms import (
    AllocateForm,
    ArrivalForm,
    ClaimantForm,
    CloseForm,
    GrantClaimantForm,
    GrantFindForm,
    RouteForm,
    StatusFilterForm,
    submission_key,
)
from safepassage.cases.lifecycle import allowed_from
from safepassage.cases.models import Arrival, AsylumCase, CaseStatus, Route, Stage
from safepassage.core.actors import request_actor
from safepassage.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from safepassage.core.models import Location
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, paginate, permission_required
from safepassage.people.forms import identity_input
from safepassage.people.selectors import current_identity, find_candidates, resolve
from safepassage.policy.display import facts_rows
from safepassage.policy.services import PolicyBlocked, london_today, policy_verdict
from safepassage.screening.facts import latest_screening_facts


@permission_required(Perm.VIEW_CASE)
def case_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = StatusFilterForm(request.GET or None)
    status, mine = "", False
    if form.is_valid():
        status, mine = form.cleaned_data["status"], form.cleaned_data["mine"]
    cases = selectors.case_list(actor=actor, status=status, allocated_to=actor if mine else None)
    return render(
        request,
        "cases/list.html",
        {
            "form": form,
            "can_register": has_permission(actor, Perm.REGISTER_ARRIVAL),
            **paginate(request, cases),
        },
    )


def _registration_locations(request: HttpRequest) -> Any:
    actor = request_actor(request)
    locations = Location.objects.filter(is_active=True)
    scope = selectors.actor_location_ids(actor)
    return locations if scope is None else locations.filter(pk__in=scope)


@permission_required(Perm.REGISTER_ARRIVAL)
@require_http_methods(["GET", "POST"])
def arrival_new(request: HttpRequest) -> HttpResponse:
    form = ArrivalForm(
        request.POST or None,
        locations=_registration_locations(request),
        initial={"submission_key": submission_key()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            arrival = services.arrival_register(
                actor=request_actor(request),
                location=form.cleaned_data["location"],
                arrived_at=form.arrival_time(),
                route=form.cleaned_data["route"],
                route_details=form.cleaned_data["route_details"],
                submission_key=form.cleaned_data["submission_key"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect("cases:arrival", arrival_id=arrival.pk)
    status = 400 if form.errors else 200
    return render(request, "cases/arrival_new.html", {"form": form}, status=status)


def _arrival_page(
    request: HttpRequest, arrival: Arrival, status: int = 200, **extra: Any
) -> HttpResponse:
    actor = request_actor(request)
    return render(
        request,
        "cases/arrival.html",
        {
            "arrival": arrival,
            "party": selectors.party_of(arrival),
            "can_register": has_permission(actor, Perm.REGISTER_ARRIVAL),
            "grant_form": extra.pop("grant_form", GrantFindForm()),
            **extra,
        },
        status=status,
    )


@permission_required(Perm.VIEW_CASE)
def arrival_detail(request: HttpRequest, arrival_id: int) -> HttpResponse:
    arrival = selectors.arrival_get(actor=request_actor(request), arrival_id=arrival_id)
    return _arrival_page(request, arrival)


@permission_required(Perm.REGISTER_ARRIVAL)
@require_POST
def arrival_grant(request: HttpRequest, arrival_id: int) -> HttpResponse:
    """Find the safe-passage grant a claimant of this arrival holds."""
    actor = request_actor(request)
    arrival = selectors.arrival_get(actor=actor, arrival_id=arrival_id)
    form = GrantFindForm(request.POST)
    if not form.is_valid():
        return _arrival_page(request, arrival, 400, grant_form=form)
    try:
        grant = grant_find(actor=actor, reference=form.cleaned_data["reference"])
    except DomainError as error:
        add_domain_error(form, error)
        if not form.errors:
            form.add_error("reference", error.message)
        return _arrival_page(request, arrival, 400, grant_form=form)
    claimant_form = GrantClaimantForm(
        party=selectors.party_of(arrival),
        initial={
            "reference": grant.application.reference,
            "submission_key": submission_key(),
            "claims_minor": "yes" if grant.application.is_child else "no",
        },
    )
    return _arrival_page(
        request, arrival, grant_form=form, grant=grant, claimant_form=claimant_form
    )


@permission_required(Perm.REGISTER_ARRIVAL)
@require_http_methods(["GET", "POST"])
def claimant_new(request: HttpRequest, arrival_id: int) -> HttpResponse:
    actor = request_actor(request)
    arrival = selectors.arrival_get(actor=actor, arrival_id=arrival_id)
    party = selectors.party_of(arrival)
    if request.method == "POST" and "reference" in request.POST:
        return _grant_holder_add(request, arrival, party)
    form = ClaimantForm(
        request.POST or None, party=party, initial={"submission_key": submission_key()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.claimant_add(
                actor=actor,
                arrival=arrival,
                submission_key=form.cleaned_data["submission_key"],
                identity=identity_input(form.cleaned_data),
                claims_minor=form.cleaned_data["claims_minor"],
                child_status=form.cleaned_data["child_status"],
                relationship=form.cleaned_data["relationship"],
                family_lead=form.cleaned_data["family_lead"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case})
            return redirect("cases:case", case_id=case.pk)
    status = 400 if form.errors else 200
    return render(
        request, "cases/claimant_new.html", {"form": form, "arrival": arrival}, status=status
    )


def _grant_holder_add(request: HttpRequest, arrival: Arrival, party: Any) -> HttpResponse:
    actor = request_actor(request)
    form = GrantClaimantForm(request.POST, party=party)
    grant = None
    if form.is_valid():
        try:
            grant = grant_find(actor=actor, reference=form.cleaned_data["reference"])
            case = services.claimant_add(
                actor=actor,
                arrival=arrival,
                submission_key=form.cleaned_data["submission_key"],
                grant=grant,
                claims_minor=form.cleaned_data["claims_minor"],
                child_status=form.cleaned_data["child_status"],
                relationship=form.cleaned_data["relationship"],
                family_lead=form.cleaned_data["family_lead"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case})
            return redirect("cases:case", case_id=case.pk)
    return _arrival_page(request, arrival, 400, grant=grant, claimant_form=form)


# --- The case page ---------------------------------------------------------------------------


def _preview(case: AsylumCase, action: str, facts: dict[str, Any]) -> dict[str, Any]:
    return policy_verdict(action=action, facts=facts).as_dict()


def _case_context(request: HttpRequest, case: AsylumCase) -> dict[str, Any]:
    actor = request_actor(request)
    screening = latest_screening_facts(case)
    facts = case_facts(case, on=london_today(), screening=screening)
    identity = current_identity(resolve(case.person))
    candidates = []
    if identity is not None and has_permission(actor, Perm.VIEW_PERSON):
        candidates = find_candidates(actor=actor, identity=identity, limit=5)
    screening_allocation = selectors.current_allocation(case, Stage.SCREENING)
    routing_allocation = selectors.current_allocation(case, Stage.ROUTING)
    can_allocate = has_permission(actor, Perm.ALLOCATE_WORK)
    allocate_forms = {}
    if can_allocate:
        for stage, statuses in services.ALLOCATABLE_FROM.items():
            if case.status in statuses:
                allocate_forms[stage] = AllocateForm(
                    officers=selectors.officers_for(actor=actor, case=case, stage=stage),
                    initial={"stage": stage},
                    prefix=stage,
                )
    routing_is_mine = routing_allocation is not None and routing_allocation.officer_id == actor.pk
    can_route = case.status == CaseStatus.SCREENED and routing_is_mine
    can_close = has_permission(actor, Perm.CLOSE_CASE) and "close" in allowed_from(case.status)
    return {
        "case": case,
        "identity": identity,
        "candidates": candidates,
        "can_resolve": has_permission(actor, Perm.RESOLVE_MATCH),
        "family": case.family_members.all() if case.family_lead_id is None else [],
        "screening_allocation": screening_allocation,
        "routing_allocation": routing_allocation,
        "allocations": selectors.allocations_of(case),
        "allocate_forms": allocate_forms,
        "can_start": case.status == CaseStatus.SCREENING_SCHEDULED
        and screening_allocation is not None
        and screening_allocation.officer_id == actor.pk
        and has_permission(actor, Perm.CONDUCT_INTERVIEW),
        "interviews": case.interviews.select_related("officer").order_by("started_at"),
        "indicators": case.vulnerability_indicators.select_related("recorded_by"),
        "transitions": selectors.transitions_of(case),
        "gate_facts_rows": facts_rows(facts),
        "can_route": can_route,
        "route_form": RouteForm(),
        "route_verdict": _preview(case, "route_inadmissibility", facts) if can_route else None,
        "can_close": can_close,
        "close_form": CloseForm(),
        "close_verdict": _preview(case, "close_case", facts) if can_close else None,
        "inadmissibility": Route.INADMISSIBILITY,
    }


@permission_required(Perm.VIEW_CASE)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = selectors.case_get(actor=request_actor(request), case_id=case_id)
    return render(request, "cases/case.html", _case_context(request, case))


def _refused(request: HttpRequest, case: AsylumCase, form_name: str, form: Any, error: Any) -> Any:
    if isinstance(error, PermissionDenied):
        raise error
    add_domain_error(form, error)
    if isinstance(error, PolicyBlocked):
        for finding in error.evaluation.verdict.get("findings", []):
            if finding.get("effect") == "block":
                form.add_error(None, finding.get("explanation", ""))
    context = _case_context(request, case)
    if form_name == "allocate_forms":
        context["allocate_forms"][form.prefix] = form
    else:
        context[form_name] = form
    status = 409 if isinstance(error, Conflict | PolicyBlocked) else 400
    return render(request, "cases/case.html", context, status=status)


@permission_required(Perm.ALLOCATE_WORK)
@require_POST
def case_allocate(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, purpose="allocate")
    # Each stage's form has its own prefix, so the posted field names say which stage it is.
    stage = next(
        (name for name in services.ALLOCATABLE_FROM if f"{name}-stage" in request.POST), ""
    )
    if not stage:
        return redirect("cases:case", case_id=case.pk)
    form = AllocateForm(
        request.POST,
        officers=selectors.officers_for(actor=actor, case=case, stage=stage),
        prefix=stage,
    )
    if not form.is_valid():
        return _refused(
            request, case, "allocate_forms", form, ValidationFailed(_("Check the form"))
        )
    try:
        services.stage_allocate(
            actor=actor,
            case=case,
            stage=stage,
            officer=form.cleaned_data["officer"],
            scheduled_for=form.scheduled_for(),
        )
    except DomainError as error:
        return _refused(request, case, "allocate_forms", form, error)
    messages.success(request, _("Allocated."))
    return redirect("cases:case", case_id=case.pk)


@permission_required(Perm.ROUTE_CASE)
@require_POST
def case_route(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, purpose="route")
    form = RouteForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, "route_form", form, ValidationFailed(_("Check the form")))
    try:
        services.case_route(
            actor=actor,
            case=case,
            route=form.cleaned_data["route"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as error:
        return _refused(request, case, "route_form", form, error)
    messages.success(request, _("The case is routed."))
    return redirect("cases:case", case_id=case.pk)


@permission_required(Perm.CLOSE_CASE)
@require_POST
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, purpose="close")
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _refused(request, case, "close_form", form, ValidationFailed(_("Check the form")))
    try:
        services.case_close(actor=actor, case=case, reason=form.cleaned_data["reason"])
    except DomainError as error:
        return _refused(request, case, "close_form", form, error)
    messages.success(request, _("The case is closed."))
    return redirect("cases:case", case_id=case.pk)
