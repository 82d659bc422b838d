"""Sign-in enforcement and session lifetime for staff pages."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from safepassage.core.actors import is_two_factor_verified

REFRESHED_AT = "safepassage_refreshed_at"
SIGNED_IN_AT = "signed_in_at"

# Paths anyone may open. Everything else needs a member of staff signed in with both factors.
# The API answers for itself (401/403 in JSON), so it is listed here too.
PUBLIC_PATH_PREFIXES = (
    "/sign-in/",
    "/apply/",
    "/verify/",
    "/account/set-password/",
    "/static/",
    "/cookies/",
    "/accessibility/",
    "/language/",
    "/healthz",
    "/api/",
    "/favicon.ico",
)
TWO_FACTOR_PATHS = ("/sign-in/two-factor/", "/sign-out/")


def _is_public(path: str) -> bool:
    return path.startswith(PUBLIC_PATH_PREFIXES) or path.startswith(
        tuple(getattr(settings, "EXTRA_PUBLIC_PATH_PREFIXES", ()))
    )


class StaffSignInRequiredMiddleware:
    """No staff page is reachable without a password and a second factor.

    Secure by default: a new view is protected unless its path is deliberately made public.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not _is_public(path) or path.startswith(TWO_FACTOR_PATHS):
            user = request.user
            if not user.is_authenticated:
                if path.startswith(TWO_FACTOR_PATHS):
                    return redirect("core:sign_in")
                return redirect(
                    f"{reverse('core:sign_in')}?{urlencode({'next': request.get_full_path()})}"
                )
            if not is_two_factor_verified(user) and not path.startswith(TWO_FACTOR_PATHS):
                return redirect("core:two_factor")
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """Sessions end after SESSION_COOKIE_AGE idle, and always after SESSION_ABSOLUTE_SECONDS.

    The idle clock restarts when a session is saved. Saving on every request would cost every
    page a database write; instead a session in use is saved at least once a minute
    (SESSION_REFRESH_SECONDS), so the idle limit is kept to within a minute."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if signed_in_at is None:
                request.session[SIGNED_IN_AT] = time.time()
            elif time.time() - float(signed_in_at) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Sign in again to continue."))
                return redirect("core:sign_in")
        response = self.get_response(request)
        session = request.session
        if not session.is_empty():
            refreshed_at = float(session.get(REFRESHED_AT, 0))
            if time.time() - refreshed_at >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = time.time()
        return response
