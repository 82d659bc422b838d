"""API authentication: administrator-issued bearer tokens, or a session with both factors."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.request import Request

from safepassage.core.actors import is_two_factor_verified
from safepassage.core.services.api_tokens import api_token_authenticate


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer sp_...`` with a token issued by an administrator."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _sep, secret = header.partition(" ")
        if keyword != self.keyword:
            return None
        token = api_token_authenticate(secret.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API token is not valid, or has expired."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, but only once both factors were given."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = getattr(request._request, "user", None)
        if user is None or not is_two_factor_verified(user):
            return None
        return result


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "safepassage.core.api_auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "An API token (sp_...)"}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "safepassage.core.api_auth.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
