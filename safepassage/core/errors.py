"""The one error family of the service layer.

Services raise these; the edges map them once: pages to the GOV.UK error summary or the error
pages, the API to its single JSON error shape (core.drf). The message is for a person, so it
is translatable and says what to do.
"""

from __future__ import annotations

from typing import Any

from django.core import exceptions as django_exceptions
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the request. Nothing was changed."""

    code = "domain_error"
    http_status = 400
    default_message: Any = _("The request could not be completed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code is not None:
            self.code = code
        self.field = field
        self.extra = extra or {}
        super().__init__(str(self.message))

    def field_errors(self) -> dict[str, list[str]]:
        """Errors keyed by field name; '__all__' for the form as a whole."""
        fields = self.extra.get("fields")
        if fields:
            return {name: [str(m) for m in messages] for name, messages in fields.items()}
        return {self.field or "__all__": [str(self.message)]}


class ValidationFailed(DomainError):
    code = "validation_failed"
    default_message = _("Check the information you entered.")


class PermissionDenied(DomainError, django_exceptions.PermissionDenied):
    """The actor may not do this. Pages show the 403 page; the API answers 403."""

    code = "permission_denied"
    http_status = 403
    default_message = _("You do not have permission to do this.")


class NotFound(DomainError, Http404):
    """Out of scope and missing look the same, so existence is never revealed."""

    code = "not_found"
    http_status = 404
    default_message = _("Page not found.")


class Conflict(DomainError):
    """The record changed, or is in a state where this action is not possible."""

    code = "conflict"
    http_status = 409
    default_message = _("This record has changed. Reload the page and try again.")
