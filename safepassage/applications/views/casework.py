"""Decision makers' pages: the queue of sent applications and the case view."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from safepassage.applications import selectors
from safepassage.applications.models import ApplicationStatus
from safepassage.applications.queue import ORDER_EXPLAINED
from safepassage.applications.services.casework import application_assign
from safepassage.applications.views.case_page import case_page
from safepassage.core.actors import request_actor
from safepassage.core.countries import country_choices
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import permission_required

WAITING_CHOICES = [
    ("", _("Any")),
    ("2", _("2 days or more")),
    ("5", _("5 days or more")),
    ("10", _("10 days or more")),
]


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Still to decide")), *ApplicationStatus.choices[1:]],
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    current_country = forms.ChoiceField(label=_("Where they are now"), required=False)
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[("", _("Any")), ("child", _("Under 18")), ("adult", _("18 or over"))],
    )
    vulnerability = forms.ChoiceField(
        label=_("Vulnerability declared"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Yes")), ("no", _("No"))],
    )
    waiting = forms.ChoiceField(label=_("Waiting"), required=False, choices=WAITING_CHOICES)
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody"))],
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        countries = [("", _("Any")), *country_choices(language)]
        self.fields["nationality"].choices = countries  # type: ignore[attr-defined]
        self.fields["current_country"].choices = countries  # type: ignore[attr-defined]

    def filters(self) -> selectors.QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        waiting = data.get("waiting") or ""
        return selectors.QueueFilters(
            status=data.get("status") or "open",
            nationality=data.get("nationality") or "",
            current_country=data.get("current_country") or "",
            age=data.get("age") or "",
            vulnerability=data.get("vulnerability") or "",
            waiting_days=int(waiting) if waiting else None,
            assigned=data.get("assigned") or "",
        )


@permission_required(Perm.VIEW_APPLICATION)
def queue(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = QueueFilterForm(request.GET or None, language=request.LANGUAGE_CODE)
    page = selectors.queue_page(actor, form.filters(), after=request.GET.get("after", ""))
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "applications/staff/queue.html",
        {
            "form": form,
            "page": page,
            "order_explained": ORDER_EXPLAINED,
            "filter_query": query.urlencode(),
            "is_first_page": not request.GET.get("after"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Perm.VIEW_APPLICATION)
def case(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    if request.method == "POST":
        try:
            application_assign(
                actor=actor,
                application=application,
                officer=actor if request.POST.get("action") == "take" else None,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("applications:case", public_id=public_id)
    return case_page(request, application)
