"""The security check's pages: the administrator's watch list page, and the two actions of the
case view's security panel (views.security_panel): run the check, decide a possible match."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.applications import selectors
from safepassage.applications.models import (
    ApplicationCheck,
    CheckKind,
    ScreeningResult,
    WatchList,
)
from safepassage.applications.services import security as service
from safepassage.applications.views.case_page import case_page, case_redirect
from safepassage.applications.views.security_panel import SecurityAdjudicationForm
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required

# How many earlier uploads the watch list page lists.
EARLIER_UPLOADS_SHOWN = 20


class WatchListUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a watch list"),
        help_text=_("A CSV file saved as UTF-8, smaller than 5 MB."),
        error_messages={
            "required": _("Choose a CSV file to upload"),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory, in the words the service uses.
        if upload.size > service.MAXIMUM_BYTES:
            raise forms.ValidationError(service.too_large_message())
        return upload


@require_http_methods(["GET", "POST"])
@permission_required(Perm.MANAGE_VISA_SCHEME)
def watch_list(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    form = (
        WatchListUploadForm(request.POST, request.FILES)
        if request.method == "POST"
        else WatchListUploadForm()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                loaded = service.watch_list_load(
                    actor=actor, filename=upload.name, content=upload.read()
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("The watch list was loaded: %(count)s entries. It is now the current list.")
                    % {"count": f"{loaded.entry_count:,}"},
                )
                return redirect("applications:watch_list")
        status = 400
    lists = list(WatchList.objects.select_related("uploaded_by")[: EARLIER_UPLOADS_SHOWN + 1])
    current = next((item for item in lists if item.is_current), None)
    return render(
        request,
        "applications/staff/watch_list.html",
        {
            "form": form,
            "current": current,
            "earlier": [item for item in lists if not item.is_current][:EARLIER_UPLOADS_SHOWN],
            "columns": service.WATCH_LIST_COLUMNS,
            "maximum_rows": service.MAXIMUM_ROWS,
        },
        status=status,
    )


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def security_run(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    try:
        check = service.security_check_run(actor=actor, application=application)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(_RUN_MESSAGES[ScreeningResult(check.result)]))
    return case_redirect(application)


_RUN_MESSAGES = {
    ScreeningResult.CLEAR: _("The security check is clear: it has passed."),
    ScreeningResult.POSSIBLE_MATCH: _(
        "The security check found a possible match. Compare the details and decide it."
    ),
    ScreeningResult.MATCH: _("The security check found a match: it has failed."),
}


@require_POST
@permission_required(Perm.DECIDE_APPLICATION)
def security_adjudicate(request: HttpRequest, public_id: uuid.UUID, check_id: int) -> HttpResponse:
    actor = request_actor(request)
    application = selectors.case_get(actor, public_id)
    check = get_object_or_404(
        ApplicationCheck, pk=check_id, application=application, kind=CheckKind.SECURITY
    )
    form = SecurityAdjudicationForm(request.POST)
    if form.is_valid():
        try:
            service.security_check_adjudicate(
                actor=actor,
                check=check,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            if set(error.field_errors()) - set(form.fields):
                # Not about what was typed (decided already, run again since): say so at the top.
                messages.error(request, str(error.message))
                return case_redirect(application)
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your decision on the possible match has been recorded."))
            return case_redirect(application)
    messages.error(request, _("The possible match was not decided. Check the security panel."))
    return case_page(request, application, security_form=form, status=400)
