"""The API's shared parts: strict input, pagination and the one error shape.

Every error answer looks like::

    {"error": {"code": "validation_failed", "message": "...", "fields": {"name": ["..."]}}}

and never comes with a 2xx status.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from safepassage.core.errors import DomainError

logger = logging.getLogger(__name__)


class StrictSerializer(serializers.Serializer):
    """An input serializer that rejects fields it does not know, rather than ignoring them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("This field is not recognised.")] for name in unknown}
                )
        return super().to_internal_value(data)


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for name, value in detail.items():
            key = "__all__" if name in ("non_field_errors", "detail") else str(name)
            if isinstance(value, dict):
                for sub_name, sub_messages in _flatten(value).items():
                    fields[f"{key}.{sub_name}"] = sub_messages
            elif isinstance(value, list):
                messages: list[str] = []
                for item in value:
                    if isinstance(item, dict):
                        for sub_name, sub_messages in _flatten(item).items():
                            fields[f"{key}.{sub_name}"] = sub_messages
                    else:
                        messages.append(str(item))
                if messages:
                    fields[key] = messages
            else:
                fields[key] = [str(value)]
        return fields
    if isinstance(detail, list):
        return {"__all__": [str(item) for item in detail]}
    return {"__all__": [str(detail)]}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        fields = exc.field_errors()
        if list(fields) == ["__all__"]:
            fields = {}
        return Response(error_body(exc.code, str(exc.message), fields), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unhandled API error", exc_info=exc)
        return Response(
            error_body("server_error", _("Sorry, there is a problem with the service.")),
            status=500,
        )
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("validation_failed", _("Check the fields below."), _flatten(exc.detail))
    elif isinstance(exc, exceptions.ParseError):
        body = error_body("malformed_request", _("The request body is not valid JSON."))
    elif isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = error_body(str(code), str(exc.detail))
    else:  # pragma: no cover - DRF only returns responses for APIException
        body = error_body("error", str(exc))
    response.data = body
    return response
