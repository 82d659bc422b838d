"""The identity check's panel on the case view: the current run, what it found (people on record
and other applications), how it was resolved, and the forms to run, resolve or fail it.

It costs two queries: the check's runs (with who ran and resolved them and the person linked),
and the register's identities of the candidates shown and of the linked person."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationCheck,
    ApplicationStatus,
    CheckKind,
)
from safepassage.applications.selectors import check_runs
from safepassage.applications.services.identity import (
    NEW_PERSON,
    SAME_CONTACT,
    SAME_NAME_AND_BIRTH,
)
from safepassage.core.actors import Actor
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm
from safepassage.people.models import Identity
from safepassage.people.selectors import resolve
from safepassage.people.templatetags.people import FIELD_LABELS

REASON_MAX = 2000
RESOLVE_PREFIX = "identity"
FAIL_PREFIX = "identity-fail"
TOO_LONG = _("Use %(limit)s characters or fewer") % {"limit": REASON_MAX}


class IdentityResolveForm(forms.Form):
    # The candidates' public ids and "new_person"; the service checks the choice against the
    # check's evidence, so a tampered value is refused there.
    person = forms.CharField(
        label=_("Who is the applicant?"),
        max_length=40,
        error_messages={
            "required": _("Choose one of the people listed, or that the applicant is a new person")
        },
    )
    reason = forms.CharField(
        label=_("Why"),
        help_text=_(
            "What you compared and what decided it, in at least 10 characters. Needed unless "
            "nobody was found."
        ),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )


class IdentityFailForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the identity cannot be established"),
        help_text=_(
            "For example, what contradicts the documents or the answers. At least 20 characters."
        ),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say why the identity cannot be established"),
            "max_length": TOO_LONG,
        },
    )


def _label(comparison: str) -> str:
    return str(FIELD_LABELS.get(comparison, comparison))


def _agreement(fields: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Which fields agreed (moved the score up) and which differed (moved it down)."""
    return {
        "agreed": [_label(item["comparison"]) for item in fields if item["weight"] > 0],
        "disagreed": [_label(item["comparison"]) for item in fields if item["weight"] < 0],
    }


REASON_LABELS = {
    SAME_CONTACT: _("Same email address or phone number"),
    SAME_NAME_AND_BIRTH: _("Same name and date of birth"),
}


def _other_application(entry: dict[str, Any]) -> dict[str, Any]:
    status = entry.get("status", "")
    known = status in ApplicationStatus.values
    reasons = entry.get("reasons", [])
    return {
        **entry,
        "status_label": ApplicationStatus(status).label if known else status,
        "reason_labels": [str(REASON_LABELS.get(reason, reason)) for reason in reasons],
    }


def identity_panel(actor: Actor, application: Application) -> dict[str, Any]:
    """The panel's context. A refused resolution shows the case again with its bound form in
    place of ``identity_resolve_form`` or ``identity_fail_form``."""
    runs = check_runs(application, CheckKind.IDENTITY)
    current: ApplicationCheck | None = runs[0] if runs and runs[0].superseded_at is None else None
    evidence = current.evidence if current is not None else {}
    entries = evidence.get("candidates", [])
    person = resolve(current.person) if current is not None and current.person is not None else None
    wanted = Q(pk__in=[entry["identity"] for entry in entries])
    if person is not None:
        wanted |= Q(person_id=person.pk, is_current=True)
    identities: dict[int, Identity] = {}
    person_identity: Identity | None = None
    if entries or person is not None:
        for identity in Identity.objects.filter(wanted).order_by("-recorded_at"):
            identities[identity.pk] = identity
            if person is not None and identity.person_id == person.pk and identity.is_current:
                person_identity = person_identity or identity
    candidates = [
        {
            **entry,
            "record": identities.get(entry["identity"]),
            **_agreement(entry.get("fields", [])),
        }
        for entry in entries
    ]
    undecided = application.status in UNDECIDED_STATUSES
    can_act = undecided and all(
        has_permission(actor, permission)
        for permission in (
            Perm.DECIDE_APPLICATION,
            Perm.VIEW_PERSON,
            Perm.RECORD_IDENTITY,
            Perm.RESOLVE_MATCH,
        )
    )
    return {
        "identity_check": current,
        "identity_earlier_runs": [run for run in runs if run is not current],
        "identity_candidates": candidates,
        "identity_other_applications": [
            _other_application(entry) for entry in evidence.get("other_applications", [])
        ],
        "identity_person": person,
        "identity_person_identity": person_identity,
        "identity_can_act": can_act,
        "identity_can_view_person": has_permission(actor, Perm.VIEW_PERSON),
        "identity_new_person": NEW_PERSON,
        "identity_new_person_label": (
            gettext("None of these: keep the record made from this application earlier")
            if evidence.get("earlier_person")
            else gettext("None of these: a new person")
        ),
        "identity_resolve_form": IdentityResolveForm(prefix=RESOLVE_PREFIX),
        "identity_fail_form": IdentityFailForm(prefix=FAIL_PREFIX),
    }
