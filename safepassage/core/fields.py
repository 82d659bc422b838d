"""Form fields for GOV.UK patterns that Django does not have."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from safepassage.core.text import ascii_digits

DATE_PARTS = ("day", "month", "year")
PART_NAMES = {"day": _("day"), "month": _("month"), "year": _("year")}


class GovukDateWidget(forms.MultiWidget):
    """Three boxes, day, month and year, as the GOV.UK date input pattern asks."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            part: forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
            for part in DATE_PARTS
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            # A partial date as PartialDateField stores it: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.
            year, month, day = ([*value.split("-"), None, None])[:3]
            return [int(day) if day else None, int(month) if month else None, year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget
    default_error_messages = {
        "required": _("Enter a date"),
        "incomplete": _("The date must include a %(part)s"),
        "invalid": _("Enter a real date, for example 24 11 2026"),
    }

    def __init__(self, **kwargs: Any) -> None:
        fields = tuple(forms.CharField(required=False, max_length=4) for _part in DATE_PARTS)
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        values = [ascii_digits(str(value or "")).strip() for value in (data_list or ["", "", ""])]
        if not any(values):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        for part, value in zip(DATE_PARTS, values, strict=True):
            if not value:
                raise ValidationError(
                    self.error_messages["incomplete"] % {"part": PART_NAMES[part]},
                    code="incomplete",
                )
        day, month, year = values
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class PartialDateField(GovukDateField):
    """A date of birth as the person knows it: the year at least, then the month, then the day.
    Cleans to 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' (or '' when not required and left empty)."""

    default_error_messages = {
        "required": _("Enter at least the year"),
        "incomplete": _("Enter the year, and the month if you give a day"),
        "invalid": _("Enter a real date, for example 14 3 1990, or 3 1990, or 1990"),
        "future": _("The date must be in the past"),
    }

    def compress(self, data_list: list[str]) -> str:  # type: ignore[override]
        day, month, year = (
            ascii_digits(str(value or "")).strip() for value in (data_list or ["", "", ""])
        )
        if not (day or month or year):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return ""
        if not year or (day and not month):
            raise ValidationError(self.error_messages["incomplete"], code="incomplete")
        if not all(part.isdigit() for part in (day, month, year) if part) or len(year) != 4:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            when = date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if when > date.today():
            raise ValidationError(self.error_messages["future"], code="future")
        if day:
            return when.isoformat()
        if month:
            return f"{when:%Y-%m}"
        return f"{when:%Y}"
