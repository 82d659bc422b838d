"""Accreditations: who is accredited for what, until when; recording and withdrawing them.

Administrators see every member of staff, location managers those at their locations; a member
of staff out of the actor's sight is not found (core.selectors.user_get).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.models import User
from safepassage.core.roles import Perm
from safepassage.core.selectors import user_get, user_list
from safepassage.core.views.helpers import add_domain_error, paginate, permission_required
from safepassage.policy.services import london_today
from safepassage.workforce.forms import GrantForm, StaffSearchForm, WithdrawForm
from safepassage.workforce.models import Accreditation
from safepassage.workforce.selectors import accreditations_of
from safepassage.workforce.services import accreditation_grant, accreditation_withdraw

# How far ahead an expiry is highlighted, so a manager can book the refresher in time.
EXPIRING_SOON = timedelta(days=30)


@require_http_methods(["GET"])
@permission_required(Perm.MANAGE_ACCREDITATIONS)
def accreditation_list(request: HttpRequest) -> HttpResponse:
    form = StaffSearchForm(request.GET or None)
    search = form.cleaned_data["search"] if form.is_valid() else ""
    today = london_today()
    in_date = Accreditation.objects.filter(
        withdrawn_at__isnull=True, valid_from__lte=today, expires_on__gte=today
    ).order_by("kind")
    staff = user_list(actor=request_actor(request), search=search).prefetch_related(
        Prefetch("accreditations", queryset=in_date, to_attr="in_date")
    )
    context = paginate(request, staff)
    context["rows"] = [
        {
            "user": user,
            "accreditations": [
                {"accreditation": held, "expiring": held.expires_on <= today + EXPIRING_SOON}
                for held in user.in_date
            ],
        }
        for user in context["page"]
    ]
    context["form"] = form
    context["searched"] = bool(search)
    return render(request, "workforce/accreditation_list.html", context)


def _withdraw_form(accreditation: Accreditation, data: Any = None) -> WithdrawForm:
    return WithdrawForm(data, prefix=f"withdraw-{accreditation.pk}")


def _holder_page(
    request: HttpRequest,
    holder: User,
    *,
    grant_form: GrantForm | None = None,
    failed: tuple[int, WithdrawForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = london_today()
    current, expired, withdrawn = [], [], []
    for accreditation in accreditations_of(holder=holder).order_by("kind", "-expires_on"):
        if accreditation.withdrawn_at is not None:
            withdrawn.append({"accreditation": accreditation})
        elif accreditation.expires_on < today:
            expired.append({"accreditation": accreditation})
        else:
            form = failed[1] if failed and failed[0] == accreditation.pk else None
            current.append(
                {
                    "accreditation": accreditation,
                    "form": form or _withdraw_form(accreditation),
                    "not_yet": accreditation.valid_from > today,
                    "expiring": accreditation.expires_on <= today + EXPIRING_SOON,
                }
            )
    grant_form = grant_form or GrantForm(initial={"valid_from": today})
    failed_form = failed[1] if failed else None
    return render(
        request,
        "workforce/holder.html",
        {
            "holder": holder,
            "current": current,
            "expired": expired,
            "withdrawn": withdrawn,
            "grant_form": grant_form,
            "failed_form": failed_form,
            # The form with errors, if any: base.html marks the title.
            "form": failed_form if failed_form is not None else grant_form,
            "is_self": holder.pk == request.user.pk,
        },
        status=status,
    )


@require_http_methods(["GET"])
@permission_required(Perm.MANAGE_ACCREDITATIONS)
def holder(request: HttpRequest, user_id: int) -> HttpResponse:
    person = user_get(actor=request_actor(request), user_id=user_id)
    return _holder_page(request, person)


@require_http_methods(["POST"])
@permission_required(Perm.MANAGE_ACCREDITATIONS)
def grant(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = request_actor(request)
    person = user_get(actor=actor, user_id=user_id)
    form = GrantForm(request.POST)
    if form.is_valid():
        try:
            accreditation_grant(
                actor=actor,
                holder=person,
                kind=form.cleaned_data["kind"],
                valid_from=form.cleaned_data["valid_from"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The accreditation is recorded."))
            return redirect("workforce:holder", user_id=person.pk)
    return _holder_page(request, person, grant_form=form, status=400)


@require_http_methods(["POST"])
@permission_required(Perm.MANAGE_ACCREDITATIONS)
def withdraw(request: HttpRequest, accreditation_id: int) -> HttpResponse:
    actor = request_actor(request)
    accreditation = get_object_or_404(Accreditation, pk=accreditation_id)
    # The holder must be someone the actor may see: otherwise not found, like a missing one.
    person = user_get(actor=actor, user_id=accreditation.holder_id)
    form = _withdraw_form(accreditation, request.POST)
    status = 400
    if form.is_valid():
        try:
            accreditation_withdraw(
                actor=actor, accreditation=accreditation, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = error.http_status
        else:
            messages.success(request, _("The accreditation is withdrawn."))
            return redirect("workforce:holder", user_id=person.pk)
    return _holder_page(request, person, failed=(accreditation.pk, form), status=status)
