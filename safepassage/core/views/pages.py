"""The home page, the language switch and the pages every service has."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.translation import check_for_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from safepassage.core.actors import request_actor
from safepassage.core.navigation import navigation_for
from safepassage.core.views.helpers import safe_next


def home(request: HttpRequest) -> HttpResponse:
    sections = [item for item in navigation_for(request_actor(request), "") if item["href"] != "/"]
    return render(request, "core/home.html", {"sections": sections})


@require_GET
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language with a plain link (the GOV.UK language navigation), remembered in a cookie.

    It only sets a preference, so a GET is safe; ``next`` must stay on this site.
    """
    response = HttpResponseRedirect(safe_next(request, request.GET.get("next"), "/"))
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            httponly=True,
        )
    return response


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/cookies.html")


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
