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


def _is_text_field(field: serializers.Field) -> bool:
    return isinstance(field, (serializers.CharField, serializers.ChoiceField))


def _type_errors(
    fields: dict[str, serializers.Field], data: dict[str, Any]
) -> dict[str, list[Any]]:
    """DRF turns 0 into "0" for a text field; we refuse it, as the schema says string."""
    errors: dict[str, list[Any]] = {}
    for name, field in fields.items():
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if _is_text_field(field) and not isinstance(value, str):
            errors[name] = [_("Enter text, not a number or a list.")]
        elif (
            isinstance(field, serializers.ListField)
            and _is_text_field(field.child)
            and isinstance(value, list)
            and not all(isinstance(item, str) for item in value)
        ):
            errors[name] = [_("Every item must be text.")]
    return errors


class StrictSerializer(serializers.Serializer):
    """An input serializer that rejects fields it does not know, and values of the wrong type,
    rather than ignoring or converting them."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            errors: dict[str, list[Any]] = {
                name: [_("This field is not recognised.")] for name in set(data) - set(self.fields)
            }
            errors.update(_type_errors(dict(self.fields), data))
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Any) -> int:
        """A page size that is given must be a whole number from 1 to 200, not silently ignored."""
        raw = request.query_params.getlist(self.page_size_query_param)
        if not raw:
            return self.page_size
        if len(raw) > 1 or not raw[0].isdigit() or not 1 <= int(raw[0]) <= self.max_page_size:
            raise serializers.ValidationError(
                {self.page_size_query_param: [_("Enter a whole number from 1 to 200.")]}
            )
        return int(raw[0])

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        """A page number that is given must be a whole number from 1 (DRF would use page 1)."""
        raw = request.query_params.getlist(self.page_query_param)
        if raw and (len(raw) > 1 or not raw[0].isdigit() or int(raw[0]) < 1):
            raise serializers.ValidationError(
                {self.page_query_param: [_("Enter a whole number from 1.")]}
            )
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update({"minimum": 1})
        return parameters


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
