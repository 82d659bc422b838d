"""A partner caseworker's pages: the applications they help with, and starting one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safepassage.applications import selectors
from safepassage.applications.forms import AssistedStartForm
from safepassage.applications.questions import QUESTIONS
from safepassage.applications.services import partners
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required


@permission_required(Perm.HELP_APPLICANTS)
def home(request: HttpRequest) -> HttpResponse:
    user = request_actor(request)
    applications = (
        selectors.visible_applications(user)
        .filter(lead__isnull=True)
        .select_related("applicant")
        .order_by("-updated_at")
    )
    return render(
        request,
        "applications/partner/home.html",
        {
            "applications": applications,
            "organisation": selectors.partner_organisation(user),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(Perm.HELP_APPLICANTS)
def start(request: HttpRequest) -> HttpResponse:
    user = request_actor(request)
    organisation = selectors.partner_organisation(user)
    form = AssistedStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = partners.assisted_application_start(
                actor=user,
                contact_text=form.cleaned_data["contact"],
                language=form.cleaned_data["language"],
                method=form.cleaned_data["method"],
                script_read=form.cleaned_data["script_read"],
                signed_form=form.cleaned_data.get("signed_form"),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return redirect(
                reverse("partner:question", args=[application.public_id, QUESTIONS[0].slug])
            )
    name = organisation.name if organisation else ""
    return render(
        request,
        "applications/partner/start.html",
        {
            "form": form,
            "script": partners.CONSENT_SCRIPT % {"organisation": name},
            "translated_scripts": partners.consent_scripts(name),
            "script_version": partners.CONSENT_SCRIPT_VERSION,
        },
    )
