"""Administrators manage locations: list, create, change, deactivate. Never delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safepassage.core import selectors
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.forms import LocationCreateForm, LocationDetailsForm, ReasonForm
from safepassage.core.roles import Perm
from safepassage.core.services import locations
from safepassage.core.views.helpers import add_domain_error, permission_required


@permission_required(Perm.MANAGE_LOCATIONS)
def location_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    counts = selectors.location_staff_counts(actor=actor)
    rows = [
        {"location": location, "staff": counts.get(location.pk, 0)}
        for location in selectors.location_list(actor=actor, include_inactive=True)
    ]
    return render(request, "core/locations/list.html", {"rows": rows})


@permission_required(Perm.MANAGE_LOCATIONS)
def location_create(request: HttpRequest) -> HttpResponse:
    form = LocationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            location = locations.location_create(actor=request_actor(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Location %(name)s created.") % {"name": location.name})
            return redirect("core:location_list")
    return render(request, "core/locations/create.html", {"form": form})


@permission_required(Perm.MANAGE_LOCATIONS)
def location_edit(request: HttpRequest, location_id: int) -> HttpResponse:
    location = selectors.location_get(actor=request_actor(request), location_id=location_id)
    form = LocationDetailsForm(
        request.POST or None,
        initial={"name": location.name, "kind": location.kind, "region": location.region},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = locations.location_update(
                actor=request_actor(request),
                location=location,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if changed:
                messages.success(request, _("Location details saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("core:location_list")
    return render(request, "core/locations/edit.html", {"form": form, "location": location})


def _reason_action(request: HttpRequest, location_id: int, *, deactivate: bool) -> HttpResponse:
    location = selectors.location_get(actor=request_actor(request), location_id=location_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = locations.location_deactivate if deactivate else locations.location_reactivate
        try:
            action(
                actor=request_actor(request), location=location, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            message = (
                _("%(name)s is deactivated.") if deactivate else _("%(name)s is active again.")
            )
            messages.success(request, message % {"name": location.name})
            return redirect("core:location_list")
    return render(
        request,
        "core/locations/status.html",
        {"form": form, "location": location, "deactivate": deactivate},
    )


@permission_required(Perm.MANAGE_LOCATIONS)
def location_deactivate(request: HttpRequest, location_id: int) -> HttpResponse:
    return _reason_action(request, location_id, deactivate=True)


@permission_required(Perm.MANAGE_LOCATIONS)
def location_reactivate(request: HttpRequest, location_id: int) -> HttpResponse:
    return _reason_action(request, location_id, deactivate=False)
