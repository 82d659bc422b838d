"""Biometrics appointments: the applicant's (or their partner's) booking pages, and the case
view's actions (asking for biometrics, recording attendance).

Booking is three pages: choose a centre, choose a day and time (a week at a time, on the
centre's clocks, only times with a free desk), then the confirmation. The service decides;
these pages only offer what it would accept and show its refusal when it refuses.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.applications import selectors
from safepassage.applications.biometrics import (
    SLOT_FORMAT,
    BookingState,
    active_centres,
    booking_state,
    centre_slots,
    centre_zone,
    slots_by_day,
)
from safepassage.applications.models import Application, BiometricAppointment, BiometricCentre
from safepassage.applications.services import biometrics as biometrics_services
from safepassage.applications.views.biometrics_panel import AttendanceForm
from safepassage.applications.views.case_page import case_page
from safepassage.applications.views.portal import (
    actor_required,
    portal_application,
    portal_context,
    portal_url,
)
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, NotFound
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required


class CentreForm(forms.Form):
    centre = forms.ChoiceField(
        label=_("Choose a visa application centre"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a visa application centre"),
            "invalid_choice": _("Choose a visa application centre"),
        },
    )

    def __init__(self, *args: Any, centres: list[BiometricCentre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = [(centre.code, centre.name) for centre in centres]  # type: ignore[attr-defined]


class SlotForm(forms.Form):
    slot = forms.CharField(
        label=_("Choose a day and time"),
        max_length=40,
        error_messages={
            "required": _("Choose a day and time for your appointment"),
            "max_length": biometrics_services.NOT_A_SLOT,
        },
    )

    def clean_slot(self) -> datetime:
        value = self.cleaned_data["slot"]
        try:
            return datetime.strptime(value, SLOT_FORMAT).replace(tzinfo=UTC)
        except ValueError as error:
            raise forms.ValidationError(biometrics_services.NOT_A_SLOT) from error


def _may_book(state: BookingState) -> bool:
    return state.can_book or state.can_rebook(timezone.now())


def _not_now(request: HttpRequest, application: Application) -> HttpResponse:
    messages.info(request, gettext("You cannot book or change a biometrics appointment now."))
    return redirect(portal_url(request, "status", application.public_id))


@require_http_methods(["GET", "POST"])
@actor_required
def book_centre(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = portal_application(request, public_id)
    state = booking_state(application)
    if not _may_book(state):
        return _not_now(request, application)
    centres = list(active_centres())
    form = CentreForm(request.POST if request.method == "POST" else None, centres=centres)
    if request.method == "POST" and form.is_valid():
        return redirect(
            portal_url(request, "biometrics_time", public_id, form.cleaned_data["centre"])
        )
    if state.appointment is not None and request.method == "GET":
        form.initial["centre"] = state.appointment.centre.code
    return render(
        request,
        "applications/biometrics_centre.html",
        portal_context(
            request,
            application=application,
            form=form,
            centres=centres,
            state=state,
            back_url=portal_url(request, "status", public_id),
        ),
        status=400 if form.errors else 200,
    )


def _week_bounds(
    centre: BiometricCentre, week: int, window: tuple[datetime, datetime]
) -> tuple[datetime, datetime, date, bool]:
    """From when to when week ``week`` of the booking window runs (on the centre's calendar),
    its first day, and whether a later week has any of the window."""
    start, end = window
    zone = centre_zone(centre)
    first_day = start.astimezone(zone).date() + timedelta(days=7 * week)
    week_start = datetime.combine(first_day, time(0), tzinfo=zone)
    week_end = datetime.combine(first_day + timedelta(days=7), time(0), tzinfo=zone)
    return max(start, week_start), min(end, week_end), first_day, week_end < end


def _week(request: HttpRequest) -> int:
    weeks = settings.BIOMETRICS_BOOKING_DAYS // 7 + 1
    value = request.GET.get("week", "0")
    return min(int(value), weeks - 1) if value.isdigit() and len(value) < 4 else 0


@require_http_methods(["GET", "POST"])
@actor_required
def book_time(request: HttpRequest, public_id: uuid.UUID, code: str) -> HttpResponse:
    application = portal_application(request, public_id)
    centre = BiometricCentre.objects.filter(code=code).prefetch_related("opening_hours").first()
    if centre is None:
        raise NotFound()
    if request.method == "GET" and not centre.is_active:
        messages.info(request, str(biometrics_services.CENTRE_NOT_BOOKING))
        return redirect(portal_url(request, "biometrics_centre", public_id))
    form = SlotForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            biometrics_services.appointment_book(
                actor=request.portal_actor,  # type: ignore[attr-defined]
                application=application,
                centre=centre,
                starts_at=form.cleaned_data["slot"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(portal_url(request, "biometrics_booked", public_id))
    state = booking_state(application)
    if request.method == "GET" and not _may_book(state):
        return _not_now(request, application)
    week = _week(request)
    start, end, first_day, more = _week_bounds(centre, week, biometrics_services.booking_window())
    days = slots_by_day(slot for slot in centre_slots(centre, start, end) if slot.is_free)
    # The day shown open: the one of the time just chosen (refused), or the first.
    chosen = request.POST.get("slot", "")
    open_day = next(
        (day for day, slots in days if any(slot.key == chosen for slot in slots)),
        days[0][0] if days else None,
    )
    time_url = portal_url(request, "biometrics_time", public_id, centre.code)
    return render(
        request,
        "applications/biometrics_time.html",
        portal_context(
            request,
            application=application,
            centre=centre,
            form=form,
            days=days,
            open_day=open_day,
            first_day=first_day,
            last_day=first_day + timedelta(days=6),
            state=state,
            previous_url=f"{time_url}?week={week - 1}" if week > 0 else "",
            next_url=f"{time_url}?week={week + 1}" if more else "",
            back_url=portal_url(request, "biometrics_centre", public_id),
        ),
        status=400 if form.errors else 200,
    )


@actor_required
def booked(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = portal_application(request, public_id)
    state = booking_state(application)
    if state.appointment is None or not state.is_pending:
        return redirect(portal_url(request, "status", public_id))
    return render(
        request,
        "applications/biometrics_booked.html",
        portal_context(
            request,
            application=application,
            appointment=state.appointment,
            can_rebook=state.can_rebook(timezone.now()),
        ),
    )


# --- The case view's actions -------------------------------------------------------------------


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def request_biometrics(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    try:
        biometrics_services.biometrics_request(actor=actor, application=application)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, gettext("The applicant has been asked to book a biometrics appointment.")
        )
    return redirect("applications:case", public_id=public_id)


@require_POST
@permission_required(Perm.RECORD_BIOMETRICS)
def record_attendance(
    request: HttpRequest, public_id: uuid.UUID, appointment_id: int
) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    appointment = BiometricAppointment.objects.filter(
        pk=appointment_id, application=application
    ).first()
    if appointment is None:
        raise NotFound()
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            biometrics_services.attendance_record(
                actor=actor,
                appointment=appointment,
                attended=form.cleaned_data["attended"] == "yes",
                enrolment_reference=form.cleaned_data["enrolment_reference"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, gettext("Attendance recorded."))
            return redirect("applications:case", public_id=public_id)
    return case_page(request, application, status=400, biometrics_attendance_form=form)
