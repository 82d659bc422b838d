"""Administrators manage the visa application centres where applicants give their biometrics:
list, add, change (with the week's opening hours). Never delete: a centre that stops taking
bookings is marked so, and its appointments are kept."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safepassage.applications.biometrics import (
    centre_for_administration,
    centres_for_administration,
)
from safepassage.applications.models import BiometricCentre
from safepassage.applications.services import biometrics as biometrics_services
from safepassage.core.actors import request_actor
from safepassage.core.countries import country_choices
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required

# Each day has an opening period and, optionally, a second one after a break.
PERIODS = (("opens", "closes"), ("reopens", "recloses"))
TIME_ERRORS = {"invalid": _("Enter a time in 24-hour format, like 09:00 or 17:30")}


def _time_field(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        error_messages=TIME_ERRORS,
        widget=forms.TimeInput(
            format="%H:%M", attrs={"inputmode": "numeric", "dir": "ltr", "autocomplete": "off"}
        ),
    )


class CentreForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("Lower-case letters, numbers and hyphens, like beirut-1. It cannot change."),
        max_length=40,
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
        error_messages={"required": _("Enter a code for the centre")},
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        error_messages={"required": _("Enter the centre's name")},
    )
    city = forms.CharField(
        label=_("City"), max_length=100, error_messages={"required": _("Enter the city")}
    )
    country = forms.ChoiceField(
        label=_("Country"), error_messages={"required": _("Choose the country")}
    )
    address = forms.CharField(
        label=_("Address"),
        help_text=_("As the applicant should read it to find the centre."),
        max_length=biometrics_services.ADDRESS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the centre's address")},
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        help_text=_("The centre's time zone from the IANA list, like Asia/Beirut."),
        max_length=60,
        widget=forms.TextInput(attrs={"dir": "ltr", "spellcheck": "false"}),
        error_messages={"required": _("Enter the centre's time zone")},
    )
    slot_minutes = forms.IntegerField(
        label=_("Length of an appointment, in minutes"),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter the length of an appointment"),
            "invalid": _("Enter the length of an appointment as a number of minutes"),
        },
    )
    desks = forms.IntegerField(
        label=_("Appointments at the same time"),
        help_text=_("How many desks take fingerprints and photographs at once."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how many appointments can happen at the same time"),
            "invalid": _("Enter how many appointments can happen at the same time as a number"),
        },
    )
    is_active = forms.BooleanField(
        label=_("Taking bookings"),
        help_text=_("Untick to stop new bookings. Appointments already booked are kept."),
        required=False,
    )

    def __init__(
        self, *args: Any, language: str, centre: BiometricCentre | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", ""), *country_choices(language)]  # type: ignore[attr-defined]
        if centre is not None:
            del self.fields["code"]
        for weekday in WEEKDAYS:
            self.fields[f"opens_{weekday}"] = _time_field(_("Opens"))
            self.fields[f"closes_{weekday}"] = _time_field(_("Closes"))
            self.fields[f"reopens_{weekday}"] = _time_field(_("Opens again after a break"))
            self.fields[f"recloses_{weekday}"] = _time_field(_("Closes again"))

    def days(self) -> list[dict[str, Any]]:
        """The weekday fields, grouped for the template."""
        return [
            {
                "weekday": weekday,
                "name": day,
                "periods": [
                    [self[f"{opens}_{weekday}"], self[f"{closes}_{weekday}"]]
                    for opens, closes in PERIODS
                ],
            }
            for weekday, day in WEEKDAYS.items()
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for weekday, day in WEEKDAYS.items():
            for opens, closes in PERIODS:
                start = cleaned.get(f"{opens}_{weekday}")
                end = cleaned.get(f"{closes}_{weekday}")
                if f"{opens}_{weekday}" in self.errors or f"{closes}_{weekday}" in self.errors:
                    continue
                if start is not None and end is None:
                    self.add_error(
                        f"{closes}_{weekday}",
                        _("Enter the time the centre closes on %(day)s, or leave both empty")
                        % {"day": day},
                    )
                elif end is not None and start is None:
                    self.add_error(
                        f"{opens}_{weekday}",
                        _("Enter the time the centre opens on %(day)s, or leave both empty")
                        % {"day": day},
                    )
        return cleaned

    def hours(self) -> list[tuple[int, time, time]]:
        data = self.cleaned_data
        return [
            (weekday, data[f"{opens}_{weekday}"], data[f"{closes}_{weekday}"])
            for weekday in WEEKDAYS
            for opens, closes in PERIODS
            if data.get(f"{opens}_{weekday}") is not None
            and data.get(f"{closes}_{weekday}") is not None
        ]


def _initial(centre: BiometricCentre) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": centre.name,
        "city": centre.city,
        "country": centre.country,
        "address": centre.address,
        "time_zone": centre.time_zone,
        "slot_minutes": centre.slot_minutes,
        "desks": centre.desks,
        "is_active": centre.is_active,
    }
    seen: dict[int, int] = {}
    for hours in centre.opening_hours.all():
        index = seen.get(hours.weekday, 0)
        if index < len(PERIODS):
            opens, closes = PERIODS[index]
            initial[f"{opens}_{hours.weekday}"] = hours.opens
            initial[f"{closes}_{hours.weekday}"] = hours.closes
        seen[hours.weekday] = index + 1
    return initial


@permission_required(Perm.MANAGE_VISA_SCHEME)
def centre_list(request: HttpRequest) -> HttpResponse:
    centres = centres_for_administration(actor=request_actor(request))
    return render(request, "applications/staff/centres/list.html", {"centres": centres})


def _save(
    request: HttpRequest, form: CentreForm, centre: BiometricCentre | None
) -> BiometricCentre | None:
    data = form.cleaned_data
    try:
        return biometrics_services.centre_save(
            actor=request_actor(request),
            centre=centre,
            code=centre.code if centre is not None else data["code"],
            name=data["name"],
            city=data["city"],
            country=data["country"],
            address=data["address"],
            time_zone=data["time_zone"],
            slot_minutes=data["slot_minutes"],
            desks=data["desks"],
            is_active=data["is_active"],
            hours=form.hours(),
        )
    except DomainError as error:
        add_domain_error(form, error)
        return None


@permission_required(Perm.MANAGE_VISA_SCHEME)
def centre_add(request: HttpRequest) -> HttpResponse:
    form = CentreForm(
        request.POST if request.method == "POST" else None,
        language=request.LANGUAGE_CODE,
        initial={"is_active": True},
    )
    if request.method == "POST" and form.is_valid():
        centre = _save(request, form, None)
        if centre is not None:
            messages.success(request, gettext("Centre %(name)s added.") % {"name": centre.name})
            return redirect("applications:centres")
    return render(
        request,
        "applications/staff/centres/form.html",
        {"form": form, "centre": None},
        status=400 if form.errors else 200,
    )


@permission_required(Perm.MANAGE_VISA_SCHEME)
def centre_edit(request: HttpRequest, centre_id: int) -> HttpResponse:
    centre = centre_for_administration(actor=request_actor(request), centre_id=centre_id)
    form = CentreForm(
        request.POST if request.method == "POST" else None,
        language=request.LANGUAGE_CODE,
        centre=centre,
        initial=_initial(centre),
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, centre)
        if saved is not None:
            messages.success(request, gettext("Centre %(name)s saved.") % {"name": saved.name})
            return redirect("applications:centres")
    return render(
        request,
        "applications/staff/centres/form.html",
        {"form": form, "centre": centre},
        status=400 if form.errors else 200,
    )
