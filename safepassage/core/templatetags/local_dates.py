"""Template filters for dates in the reader's language (core.local_dates)."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from safepassage.core import local_dates

register = template.Library()


@register.filter
def local_date(value: date | datetime | None) -> str:
    return local_dates.long_date(value) if value else ""


@register.filter
def local_datetime(value: datetime | None) -> str:
    return local_dates.date_and_time(value) if value else ""


@register.filter
def local_partial_date(value: str | None) -> str:
    return local_dates.partial_date(value or "")
