"""The rule pack, readable by every member of staff, and the *check an action* page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, permission_required
from safepassage.policy import selectors
from safepassage.policy.forms import CheckActionForm, RuleFilterForm, example_facts_text
from safepassage.policy.packs import get_pack
from safepassage.policy.services import policy_check


def rule_list(request: HttpRequest) -> HttpResponse:
    request_actor(request)
    filters = RuleFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.rule_list(action=criteria.get("action", ""), search=criteria.get("search", ""))
    return render(
        request,
        "policy/rule_list.html",
        {"filters": filters, "rows": rows, "pack": get_pack()},
    )


@permission_required(Perm.CHECK_ACTION)
def check_action(request: HttpRequest) -> HttpResponse:
    """What-if: paste or edit facts and see the verdict. Nothing is stored; facts can hold
    personal data, so they travel in a POST body, never in the address."""
    form = CheckActionForm(
        request.POST or None, initial={"facts": example_facts_text(), "action": "detain"}
    )
    verdict = None
    if request.method == "POST" and form.is_valid():
        try:
            verdict = policy_check(
                actor=request_actor(request),
                action=form.cleaned_data["action"],
                facts=form.cleaned_data["facts"],
                on=form.cleaned_data["on"],
            ).as_dict()
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "policy/check_action.html",
        {"form": form, "verdict": verdict, "pack": get_pack()},
    )
