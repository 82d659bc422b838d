"""Signing in with a password and a second factor, setting a password, signing out."""

from __future__ import annotations

import base64
import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.core.actors import is_two_factor_verified, request_actor
from safepassage.core.errors import DomainError
from safepassage.core.forms import NewPasswordForm, SignInForm, TokenForm
from safepassage.core.middleware import SIGNED_IN_AT
from safepassage.core.services.accounts import (
    sign_in_record,
    sign_out_record,
    totp_device_for_enrolment,
    totp_enrolment_confirm,
    user_password_set,
)
from safepassage.core.views.helpers import add_domain_error, safe_next

NEXT_AFTER_SIGN_IN = "next_after_sign_in"


@sensitive_post_parameters("password")
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and is_two_factor_verified(request.user):
        return redirect("core:home")
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        next_url = safe_next(request, request.POST.get("next"), reverse("core:home"))
        login(request, form.get_user())
        request.session[NEXT_AFTER_SIGN_IN] = next_url
        return redirect("core:two_factor")
    return render(request, "core/sign_in.html", {"form": form, "next": request.GET.get("next", "")})


def _finish_sign_in(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    request.session[SIGNED_IN_AT] = time.time()
    sign_in_record(user=request_actor(request))
    next_url = request.session.pop(NEXT_AFTER_SIGN_IN, None)
    return redirect(safe_next(request, next_url, reverse("core:home")))


@sensitive_post_parameters("token")
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request_actor(request)
    if is_two_factor_verified(user):
        return redirect("core:home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("core:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error(
                "token", _("Too many wrong codes. Wait a minute, then enter the newest code.")
            )
        elif device.verify_token("".join(form.cleaned_data["token"].split())):
            return _finish_sign_in(request, device)
        else:
            form.add_error("token", _("The security code is not right. Enter the newest code."))
    return render(request, "core/two_factor.html", {"form": form})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")


@sensitive_post_parameters("token")
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request_actor(request)
    if is_two_factor_verified(user):
        return redirect("core:home")
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("core:two_factor")
    device = totp_device_for_enrolment(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_enrolment_confirm(
                user=user,
                device=device,
                token=form.cleaned_data["token"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Two-factor authentication is set up."))
            return _finish_sign_in(request, device)
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return render(
        request,
        "core/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        },
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        sign_out_record(user=request_actor(request))
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core:sign_in")


class SetPasswordView(PasswordResetConfirmView):
    """The page behind the emailed link. Django moves the token out of the URL first."""

    template_name = "core/set_password.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("core:sign_in")
    post_reset_login = False

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        try:
            user_password_set(user=form.user, password=form.cleaned_data["new_password1"])
        except DomainError as error:
            add_domain_error(form, error)
            return self.form_invalid(form)
        self.request.session.pop(INTERNAL_RESET_SESSION_TOKEN, None)
        messages.success(self.request, _("Your password is set. Sign in to continue."))
        return redirect(self.success_url)


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes calls this once an account has had too many failed sign-ins."""
    return render(request, "core/locked_out.html", status=429)
