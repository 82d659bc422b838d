"""Administrators manage staff accounts: list, create, change, deactivate. Never delete."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.core import selectors
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.forms import ReasonForm, UserCreateForm, UserDetailsForm, UserFilterForm
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm
from safepassage.core.services import accounts, users
from safepassage.core.views.helpers import add_domain_error, paginate, permission_required


@permission_required(Perm.VIEW_STAFF)
def user_list(request: HttpRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.user_list(
        actor=request_actor(request),
        search=criteria.get("search", ""),
        role=criteria.get("role", ""),
        location=criteria.get("location"),
        status=criteria.get("status") or "active",
    )
    return render(
        request,
        "core/users/list.html",
        {
            "filters": filters,
            "can_manage": has_permission(request_actor(request), Perm.MANAGE_USERS),
            **paginate(request, found),
        },
    )


@permission_required(Perm.MANAGE_USERS)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = users.user_create(actor=request_actor(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Account created for %(name)s. We have emailed them a link to set a password.")
                % {"name": user.full_name},
            )
            return redirect("core:user_detail", user_id=user.pk)
    return render(request, "core/users/create.html", {"form": form})


@permission_required(Perm.VIEW_STAFF)
def user_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user_get(actor=request_actor(request), user_id=user_id)
    return render(
        request,
        "core/users/detail.html",
        {
            "person": user,
            "can_manage": has_permission(request_actor(request), Perm.MANAGE_USERS),
            "is_self": user.pk == request_actor(request).pk,
            "has_two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "is_locked": selectors.account_is_locked(user=user),
        },
    )


@permission_required(Perm.MANAGE_USERS)
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user_get(actor=request_actor(request), user_id=user_id)
    initial = {
        "full_name": user.full_name,
        "email": user.email,
        "roles": user.role_codes,
        "locations": list(user.locations.filter(is_active=True)),
    }
    form = UserDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = users.user_update(
                actor=request_actor(request), user=user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if changed:
                messages.success(request, _("Account details saved."))
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect("core:user_detail", user_id=user.pk)
    return render(request, "core/users/edit.html", {"form": form, "person": user})


def _reason_action(
    request: HttpRequest,
    user_id: int,
    *,
    template: str,
    action: Callable[..., object],
    success: str,
) -> HttpResponse:
    user = selectors.user_get(actor=request_actor(request), user_id=user_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            action(actor=request_actor(request), user=user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, success % {"name": user.full_name})
            return redirect("core:user_detail", user_id=user.pk)
    return render(request, template, {"form": form, "person": user})


@permission_required(Perm.MANAGE_USERS)
def user_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _reason_action(
        request,
        user_id,
        template="core/users/deactivate.html",
        action=users.user_deactivate,
        success=_("%(name)s's account is deactivated. They can no longer sign in."),
    )


@permission_required(Perm.MANAGE_USERS)
def user_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _reason_action(
        request,
        user_id,
        template="core/users/reactivate.html",
        action=users.user_reactivate,
        success=_("%(name)s's account is active again."),
    )


@permission_required(Perm.MANAGE_USERS)
def user_reset_two_factor(request: HttpRequest, user_id: int) -> HttpResponse:
    return _reason_action(
        request,
        user_id,
        template="core/users/reset_two_factor.html",
        action=accounts.two_factor_reset,
        success=_("%(name)s will set up two-factor authentication again when they next sign in."),
    )


@require_POST
@permission_required(Perm.MANAGE_USERS)
def user_send_link(request: HttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user_get(actor=request_actor(request), user_id=user_id)
    try:
        accounts.password_link_send(actor=request_actor(request), user=user, reason="reset")
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("We have emailed %(name)s a link to set a new password.") % {"name": user.full_name},
        )
    return redirect("core:user_detail", user_id=user.pk)


@require_POST
@permission_required(Perm.MANAGE_USERS)
def user_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    user = selectors.user_get(actor=request_actor(request), user_id=user_id)
    accounts.account_unlock(actor=request_actor(request), user=user)
    messages.success(request, _("%(name)s's account is unlocked.") % {"name": user.full_name})
    return redirect("core:user_detail", user_id=user.pk)
