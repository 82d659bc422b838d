"""Collecting every problem with an input before refusing it, so a person fixes them at once."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import ValidationFailed


class FieldErrors:
    def __init__(self) -> None:
        self._errors: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self._errors.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self._errors)

    def raise_if_any(self, message: Any = None) -> None:
        if self._errors:
            raise ValidationFailed(
                message or _("Check the information you entered."),
                extra={"fields": self._errors},
            )


def required_reason(reason: str, message: Any, *, minimum: int = 5) -> str:
    """A written reason, kept in the audit log: trimmed, and long enough to mean something."""
    reason = " ".join(reason.split())
    if len(reason) < minimum:
        raise ValidationFailed(message, field="reason")
    return reason
