"""Staff pages for people: search, record, see a record, review candidates, undo merges."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, NotFound
from safepassage.core.forms import ReasonForm
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error, paginate, permission_required
from safepassage.people import selectors, services
from safepassage.people.forms import (
    CorrectionForm,
    IdentityForm,
    MatchDecisionForm,
    SearchForm,
    identity_input,
)
from safepassage.people.models import Decision, Merge, Person


@permission_required(Perm.VIEW_PERSON)
def person_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    found = selectors.person_search(actor=request_actor(request), text=text)
    return render(
        request,
        "people/list.html",
        {
            "form": form,
            "searched": bool(text),
            "can_record": has_permission(request_actor(request), Perm.RECORD_IDENTITY),
            **paginate(request, found),
        },
    )


@permission_required(Perm.RECORD_IDENTITY)
def person_create(request: HttpRequest) -> HttpResponse:
    form = IdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(
                actor=request_actor(request), identity=identity_input(form.cleaned_data)
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Recorded. Check whether this person is already known."))
            return redirect("people:matches", person_id=person.pk)
    return render(request, "people/create.html", {"form": form})


def _person_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    actor = request_actor(request)
    return {
        "person": person,
        "survivor": selectors.resolve(person),
        "current": selectors.current_identity(person),
        "identities": selectors.identities_of(person),
        "merges": selectors.merges_of(person),
        "can_record": has_permission(actor, Perm.RECORD_IDENTITY),
        "can_resolve": has_permission(actor, Perm.RESOLVE_MATCH),
        "can_undo": has_permission(actor, Perm.UNDO_MERGE),
    }


@permission_required(Perm.VIEW_PERSON)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request_actor(request), person_id=person_id)
    return render(request, "people/detail.html", _person_context(request, person))


@permission_required(Perm.RESOLVE_MATCH)
def person_matches(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = request_actor(request)
    person = selectors.person_get(actor=actor, person_id=person_id)
    if person.merged_into_id is not None:
        messages.info(request, _("This record is now part of another person's record."))
        return redirect("people:detail", person_id=selectors.resolve(person).pk)
    current = selectors.current_identity(person)
    if current is None:
        raise NotFound()
    form = MatchDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        candidate = Person.objects.filter(pk=form.cleaned_data["candidate"]).first()
        if candidate is None:
            raise NotFound()
        try:
            services.match_decide(
                actor=actor,
                subject=person,
                candidate=candidate,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                probability=form.cleaned_data["probability"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            decision = form.cleaned_data["decision"]
            if decision == Decision.SAME:
                messages.success(request, _("Linked: the two records are now one person."))
                return redirect("people:detail", person_id=candidate.pk)
            if decision == Decision.NOT_SAME:
                messages.success(
                    request, _("Recorded as not the same person. They will not be suggested again.")
                )
            else:
                messages.info(request, _("Left for later. The suggestion stays."))
            return redirect("people:matches", person_id=person.pk)
    candidates = selectors.find_candidates(actor=actor, identity=current, limit=10)
    return render(
        request,
        "people/matches.html",
        {
            "person": person,
            "current": current,
            "candidates": candidates,
            "form": form,
            "decisions": Decision.choices,
        },
    )


@permission_required(Perm.RECORD_IDENTITY)
def person_correct(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = request_actor(request)
    person = selectors.person_get(actor=actor, person_id=person_id)
    current = selectors.current_identity(person)
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            field: getattr(current, field)
            for field in (
                "given_names",
                "family_name",
                "given_names_original",
                "family_name_original",
                "original_script",
                "dob_estimated",
                "sex",
                "nationality",
                "place_of_birth",
                "languages",
            )
        }
        initial["date_of_birth"] = current.date_of_birth
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_correct(
                actor=actor,
                person=person,
                identity=identity_input(form.cleaned_data),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, _("The corrected identity is recorded; the earlier one is kept.")
            )
            return redirect("people:detail", person_id=person.pk)
    return render(request, "people/correct.html", {"form": form, "person": person})


@permission_required(Perm.UNDO_MERGE)
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = Merge.objects.filter(pk=merge_id).select_related("survivor", "merged").first()
    if merge is None:
        raise NotFound()
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.merge_undo(
                actor=request_actor(request), merge=merge, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The merge is undone: they are two records again."))
            return redirect("people:detail", person_id=merge.merged_id)
    return render(request, "people/merge_undo.html", {"form": form, "merge": merge})
