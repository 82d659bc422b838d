"""A location manager's waivers of stage separation: the written, time-limited permission for
one officer to register, interview and route the same case at a location with one officer on
duty. Granting and revoking are cases.services.waiver_grant / waiver_revoke."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from safepassage.cases.models import StageSeparationWaiver
from safepassage.cases.selectors import actor_location_ids, waivers_at
from safepassage.cases.services import REASON_MINIMUM, waiver_grant, waiver_revoke
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, NotFound
from safepassage.core.fields import GovukDateField
from safepassage.core.local_dates import long_date
from safepassage.core.models import Location
from safepassage.core.roles import Perm
from safepassage.core.selectors import location_list
from safepassage.core.views.helpers import add_domain_error, paginate, permission_required
from safepassage.policy.services import london_today


class WaiverForm(forms.Form):
    location = forms.ModelChoiceField(
        label=gettext_lazy("Location"),
        queryset=Location.objects.none(),
        empty_label=gettext_lazy("Choose a location"),
        error_messages={"required": gettext_lazy("Choose the location")},
    )
    reason = forms.CharField(
        label=gettext_lazy("Why one officer must do consecutive steps"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": gettext_lazy("Say why one officer must do consecutive steps")},
    )
    valid_until = GovukDateField(
        label=gettext_lazy("Valid until"),
        help_text=gettext_lazy("The last day it applies: at most 31 days from today"),
        error_messages={"required": gettext_lazy("Enter the last day the waiver applies")},
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location_field = self.fields["location"]
        assert isinstance(location_field, forms.ModelChoiceField)
        location_field.queryset = locations
        # Formatted here, in the reader's language, not once at import.
        self.fields["reason"].help_text = _(
            "One officer may then register, interview and route the same case: use it only "
            "when a location has one officer on duty. Say why, in at least %(minimum)s "
            "characters. This is kept in the audit log."
        ) % {"minimum": REASON_MINIMUM}


def _manager_locations(request: HttpRequest) -> QuerySet[Location]:
    """The active locations the manager works at (every one, for a national role)."""
    actor = request_actor(request)
    locations = location_list(actor=actor)
    own = actor_location_ids(actor)
    return locations if own is None else locations.filter(pk__in=own)


def _page(
    request: HttpRequest,
    *,
    form: WaiverForm | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HttpResponse:
    today = london_today()
    context = paginate(request, waivers_at(actor=request_actor(request)))
    context["rows"] = [
        {
            "waiver": waiver,
            "in_force": waiver.revoked_at is None and waiver.valid_until >= today,
        }
        for waiver in context["page"]
    ]
    context["form"] = form or WaiverForm(locations=_manager_locations(request))
    context["problem"] = problem
    return render(request, "cases/waivers/list.html", context, status=status)


@require_http_methods(["GET"])
@permission_required(Perm.WAIVE_STAGE_SEPARATION)
def waiver_list(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_http_methods(["POST"])
@permission_required(Perm.WAIVE_STAGE_SEPARATION)
def waiver_grant_view(request: HttpRequest) -> HttpResponse:
    form = WaiverForm(request.POST, locations=_manager_locations(request))
    if form.is_valid():
        try:
            waiver = waiver_grant(
                actor=request_actor(request),
                location=form.cleaned_data["location"],
                reason=form.cleaned_data["reason"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Stage separation is waived at %(location)s until the end of %(date)s.")
                % {"location": waiver.location.name, "date": long_date(waiver.valid_until)},
            )
            return redirect("cases:waivers")
    return _page(request, form=form, status=400)


@require_http_methods(["POST"])
@permission_required(Perm.WAIVE_STAGE_SEPARATION)
def waiver_revoke_view(request: HttpRequest, waiver_id: int) -> HttpResponse:
    actor = request_actor(request)
    waiver: StageSeparationWaiver | None = waivers_at(actor=actor).filter(pk=waiver_id).first()
    if waiver is None:
        raise NotFound()
    try:
        waiver_revoke(actor=actor, waiver=waiver)
    except DomainError as error:
        return _page(request, problem=str(error.message), status=error.http_status)
    messages.success(
        request,
        _("The waiver at %(location)s has ended: stages are separate again.")
        % {"location": waiver.location.name},
    )
    return redirect("cases:waivers")
