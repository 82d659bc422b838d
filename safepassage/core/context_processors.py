"""What every page needs: the service name, the navigation, who is signed in, the languages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

from safepassage.core.actors import is_two_factor_verified
from safepassage.core.navigation import navigation_for


def languages_for(request: HttpRequest, codes: list[str]) -> list[dict[str, Any]]:
    """Each language as the language navigation shows it, written in itself."""
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    languages = []
    for code in codes:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "bidi": info["bidi"],
                "current": code == current,
            }
        )
    return languages


def service(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated and is_two_factor_verified(user))
    context: dict[str, Any] = {
        "service_name_setting": "Safe Passage",
        "languages": languages_for(request, settings.STAFF_LANGUAGES),
        "signed_in": signed_in,
        "production": settings.PRODUCTION,
    }
    if signed_in and user is not None:
        context["navigation"] = navigation_for(user, request.path)
        context["identity"] = {
            "name": user.full_name or user.username,
            "roles": user.role_labels,
            "locations": [location.name for location in user.locations.all()],
        }
    return context
