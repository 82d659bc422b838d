"""Forms of registration and the case page: they check shape; services check rules."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, time
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safepassage.cases.models import ArrivalRoute, AsylumCase, ChildStatus, Relationship, Route
from safepassage.core.fields import GovukDateField
from safepassage.core.models import Location, User
from safepassage.people.forms import IdentityForm


def _choose_from(field: forms.Field, queryset: Any, label: Callable[[Any], str]) -> None:
    chooser = cast(forms.ModelChoiceField, field)
    chooser.queryset = queryset
    chooser.label_from_instance = label  # type: ignore[method-assign,assignment]


def submission_key() -> str:
    return secrets.token_urlsafe(24)


class TimeField(forms.CharField):
    """A time of day typed as 14:05 (digits from any keyboard)."""

    def clean(self, value: Any) -> time | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            hours, minutes = (int(part) for part in str(text).strip().split(":"))
            return time(hours, minutes)
        except ValueError:
            raise forms.ValidationError(_("Enter a time like 14:05")) from None


def london_datetime(day: Any, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


class ArrivalForm(forms.Form):
    location = forms.ModelChoiceField(
        label=_("Where are you registering them?"), queryset=Location.objects.none()
    )
    arrived_on = GovukDateField(label=_("Date they arrived"))
    arrived_at = TimeField(
        label=_("Time they arrived"), help_text=_("Use the 24-hour clock, for example 14:05")
    )
    route = forms.ChoiceField(
        label=_("How did they arrive?"), choices=ArrivalRoute.choices, widget=forms.RadioSelect
    )
    route_details = forms.CharField(
        label=_("Details of the route"),
        max_length=500,
        required=False,
        help_text=_("For example: lorry, plane with a false document, landed at Dover"),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["location"]).queryset = locations
        if locations.count() == 1:
            self.fields["location"].initial = locations.first()

    def arrival_time(self) -> datetime:
        return london_datetime(self.cleaned_data["arrived_on"], self.cleaned_data["arrived_at"])


class ClaimantForm(IdentityForm):
    claims_minor = forms.TypedChoiceField(
        label=_("Do they say they are under 18?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    child_status = forms.ChoiceField(
        label=_("Adult or child"),
        choices=ChildStatus.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Someone who says they are under 18 is treated as a child until a lawful age "
            "assessment says otherwise."
        ),
    )
    relationship = forms.ChoiceField(
        label=_("Their place in the party"), choices=Relationship.choices, widget=forms.RadioSelect
    )
    family_lead = forms.ModelChoiceField(
        label=_("The main claimant of their family"),
        queryset=AsylumCase.objects.none(),
        required=False,
        empty_label=_("Nobody: they are the main claimant or on their own"),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, party: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["family_lead"], party, lambda case: case.reference)


class GrantClaimantForm(forms.Form):
    """Registering the holder of a safe-passage grant: the identity comes from the visa."""

    reference = forms.CharField(widget=forms.HiddenInput)
    claims_minor = ClaimantForm.base_fields["claims_minor"]
    child_status = ClaimantForm.base_fields["child_status"]
    relationship = ClaimantForm.base_fields["relationship"]
    family_lead = ClaimantForm.base_fields["family_lead"]
    submission_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, party: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["family_lead"], party, lambda case: case.reference)


class GrantFindForm(forms.Form):
    reference = forms.CharField(
        label=_("Grant reference"),
        max_length=40,
        help_text=_("As it is on the grant letter, like SP-7KQ-M4X-9TB"),
    )


class AllocateForm(forms.Form):
    stage = forms.CharField(widget=forms.HiddenInput)
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())
    scheduled_on = GovukDateField(label=_("Date of the interview"), required=False)
    scheduled_at = TimeField(label=_("Time of the interview"), required=False)

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choose_from(self.fields["officer"], officers, lambda user: user.full_name)

    def scheduled_for(self) -> datetime | None:
        day, at = self.cleaned_data.get("scheduled_on"), self.cleaned_data.get("scheduled_at")
        return london_datetime(day, at) if day and at else None


class RouteForm(forms.Form):
    route = forms.ChoiceField(
        label=_("Route the case to"), choices=Route.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reasons for this route"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case closed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("For example: the claim was withdrawn in writing, or this is a duplicate"),
    )


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    mine = forms.BooleanField(label=_("Only work allocated to me"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from safepassage.cases.models import CaseStatus

        cast(forms.ChoiceField, self.fields["status"]).choices = [
            ("", _("Any status")),
            *CaseStatus.choices,
        ]
