"""Finding a safe-passage grant at arrival, and the scheme's figures."""

from __future__ import annotations

import csv

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from safepassage.applications.figures import time_to_decision
from safepassage.applications.grants import grant_find
from safepassage.core.actors import request_actor
from safepassage.core.countries import country_name
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required


class GrantFindForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference on the grant letter"),
        help_text=_("For example, SP-7KQ-M4X-9TB"),
        max_length=40,
        error_messages={"required": _("Enter the reference on the grant letter")},
    )


@require_http_methods(["GET", "POST"])
@permission_required(Perm.FIND_GRANT)
def grant_find_page(request: HttpRequest) -> HttpResponse:
    """The reference is posted, never put in the address: addresses end up in logs."""
    form = GrantFindForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = grant_find(
                actor=request_actor(request), reference=form.cleaned_data["reference"]
            )
        except DomainError as error:
            add_domain_error(form, error)
            status = 404 if error.http_status == 404 else 400
    return render(
        request,
        "applications/staff/grant_find.html",
        {
            "form": form,
            "found": found,
            "nationality": country_name(found.application.nationality, request.LANGUAGE_CODE)
            if found and found.application.nationality
            else "",
        },
        status=status,
    )


class FiguresForm(forms.Form):
    since = forms.DateField(
        label=_("Decisions since (optional)"),
        help_text=_("As year-month-day, for example 2026-01-01"),
        required=False,
    )


@permission_required(Perm.VIEW_VISA_FIGURES)
def figures(request: HttpRequest) -> HttpResponse:
    form = FiguresForm(request.GET or None)
    since = form.cleaned_data.get("since") if form.is_valid() else None
    result = time_to_decision(actor=request_actor(request), since=since)
    language = request.LANGUAGE_CODE
    if request.GET.get("download") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="visa-time-to-decision.csv"'
        writer = csv.writer(response)
        writer.writerow(
            ["group", "key", "decided", "granted", "refused", "median_days", "p90_days"]
        )
        for group, rows in (("nationality", result.by_nationality), ("month", result.by_month)):
            for row in rows:
                writer.writerow(
                    [
                        group,
                        row.key,
                        row.decided,
                        row.granted,
                        row.refused,
                        "" if row.median_days is None else row.median_days,
                        "" if row.p90_days is None else row.p90_days,
                    ]
                )
        return response
    nationality_rows = [
        (country_name(row.key, language) if row.key else _("Stateless or not known"), row)
        for row in result.by_nationality
    ]
    return render(
        request,
        "applications/staff/figures.html",
        {
            "form": form,
            "result": result,
            "nationality_rows": nationality_rows,
            "month_rows": [(row.key, row) for row in result.by_month],
            "query": request.GET.urlencode(),
        },
    )
