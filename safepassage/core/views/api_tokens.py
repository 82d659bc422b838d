"""Administrators issue and revoke API tokens for partner systems and scripts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from safepassage.core import selectors
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.forms import ApiTokenForm
from safepassage.core.roles import Perm
from safepassage.core.services import api_tokens
from safepassage.core.views.helpers import add_domain_error, permission_required


@permission_required(Perm.ISSUE_API_TOKENS)
def api_token_list(request: HttpRequest) -> HttpResponse:
    tokens = selectors.api_token_list(actor=request_actor(request))
    return render(request, "core/api_tokens/list.html", {"tokens": tokens})


@never_cache
@permission_required(Perm.ISSUE_API_TOKENS)
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_tokens.api_token_issue(actor=request_actor(request), **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # Shown once, in this response only; it is never stored or shown again.
            return render(request, "core/api_tokens/issued.html", {"issued": issued})
    return render(request, "core/api_tokens/create.html", {"form": form})


@require_POST
@permission_required(Perm.ISSUE_API_TOKENS)
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = selectors.api_token_get(actor=request_actor(request), token_id=token_id)
    try:
        api_tokens.api_token_revoke(actor=request_actor(request), token=token)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Token %(name)s is revoked.") % {"name": token.name})
    return redirect("core:api_token_list")
