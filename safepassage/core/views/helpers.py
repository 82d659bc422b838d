"""Small tools every view uses."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.permissions import require_permission


def permission_required(permission: str) -> Callable[..., Any]:
    """Check the permission at the edge too (the service checks it again)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_permission(request_actor(request), permission)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's refusal on the form, against the right fields. The form need not have
    been validated (a refusal can come from a button that posts no fields)."""
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    for field, messages in error.field_errors().items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


def safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def paginate(request: HttpRequest, items: Any, per_page: int = 25) -> dict[str, Any]:
    """A page of items and the links for the GOV.UK pagination component."""
    paginator = Paginator(items, per_page)
    page: Page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()

    def link(number: int) -> str:
        params["page"] = str(number)
        return "?" + urlencode(sorted(params.items()))

    numbers: list[dict[str, Any]] = []
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            numbers.append({"ellipsis": True})
        else:
            numbers.append(
                {"number": number, "href": link(int(number)), "current": number == page.number}
            )
    return {
        "page": page,
        "pagination": {
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "numbers": numbers if paginator.num_pages > 1 else [],
        },
    }
