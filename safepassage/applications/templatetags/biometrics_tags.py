"""Biometrics appointments in templates: times on the centre's own clocks, written in the
reader's language, and where an application stands with its appointment."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_time
from django import template
from django.utils import timezone
from django.utils.translation import get_language

from safepassage.applications.biometrics import booking_state, centre_zone
from safepassage.applications.models import Application, BiometricAppointment
from safepassage.core import local_dates
from safepassage.core.countries import country_name

register = template.Library()


@register.filter
def appointment_time(appointment: BiometricAppointment | None) -> str:
    """'3 March 2027, 09:30' on the centre's clocks, in the reader's language."""
    if appointment is None:
        return ""
    local = appointment.starts_at.astimezone(centre_zone(appointment.centre))
    # Naive, so that core.local_dates writes it as it is rather than in Europe/London.
    return local_dates.date_and_time(local.replace(tzinfo=None))


@register.filter
def clock_time(value: datetime | None) -> str:
    """The time of an aware datetime as it reads in its own zone ('09:30', '٩:٣٠ ص')."""
    if value is None:
        return ""
    return format_time(value.replace(tzinfo=None), "short", locale=local_dates.current_locale())


@register.filter
def day_heading(value: date | None) -> str:
    """'Wednesday, 3 March 2027' in the reader's language."""
    if value is None:
        return ""
    return format_date(value, "full", locale=local_dates.current_locale())


@register.filter
def country(alpha3: str) -> str:
    """The country's name in the reader's language."""
    try:
        return country_name(alpha3, get_language() or "en")
    except LookupError:
        return alpha3


@register.simple_tag
def biometrics_status(application: Application) -> dict[str, Any]:
    """What the status page says about biometrics (one query)."""
    state = booking_state(application)
    return {
        "appointment": state.appointment,
        "needed": state.needed,
        "is_pending": state.is_pending,
        "can_book": state.can_book,
        "can_rebook": state.can_rebook(timezone.now()),
        "rebooks_left": max(state.rebooks_allowed - state.rebooks_used, 0),
    }
