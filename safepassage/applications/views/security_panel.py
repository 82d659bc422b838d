"""The security panel of the case view: the current check with its hits, the earlier runs, and
what this officer may do (run the check, decide a possible match)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models import (
    UNDECIDED_STATUSES,
    Application,
    CheckKind,
    CheckOutcome,
    ScreeningResult,
    WatchListEntry,
)
from safepassage.applications.selectors import check_runs
from safepassage.core.actors import Actor
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm


class SecurityAdjudicationForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Is the applicant one of the listed people?"),
        choices=[
            (CheckOutcome.PASSED.value, _("No: the check is passed")),
            (CheckOutcome.FAILED.value, _("Yes, or I cannot rule it out: the check is failed")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose whether the applicant passes or fails the security check"),
            "invalid_choice": _("Choose whether the applicant passes or fails the security check"),
        },
    )
    reason = forms.CharField(
        label=_("Your reasons"),
        help_text=_(
            "What you compared and what you found, in at least 20 characters. It is kept with "
            "the check."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain your decision in at least 20 characters.")},
    )


_RESULT_TAGS: dict[str, str] = {
    ScreeningResult.CLEAR: "govuk-tag--green",
    ScreeningResult.POSSIBLE_MATCH: "govuk-tag--orange",
    ScreeningResult.MATCH: "govuk-tag--red",
}
_OUTCOME_TAGS: dict[str, str] = {
    CheckOutcome.PASSED: "govuk-tag--green",
    CheckOutcome.PENDING: "govuk-tag--yellow",
    CheckOutcome.FAILED: "govuk-tag--red",
}
AGREEMENT_LABELS = {
    "strong": _("Name: the same"),
    "good": _("Name: similar"),
    "exact": _("Date of birth: the same"),
    "partial": _("Date of birth: partly the same"),
    "contradicts": _("Date of birth: different"),
    "far_apart": _("Date of birth: more than 5 years apart"),
    "same": _("Nationality: the same"),
    "different": _("Nationality: different"),
}
_UNKNOWN_LABELS = {
    "date_of_birth": _("Date of birth: not known on both"),
    "nationality": _("Nationality: not known on both"),
}


def _agreement(agreement: dict[str, str]) -> list[str]:
    labels = []
    for part in ("name", "date_of_birth", "nationality"):
        level = agreement.get(part, "")
        if level == "unknown":
            labels.append(str(_UNKNOWN_LABELS.get(part, level)))
        elif level:
            labels.append(str(AGREEMENT_LABELS.get(level, level)))
    return labels


def security_panel(actor: Actor, application: Application) -> dict[str, Any]:
    """What the case view's security panel shows: the current check with its hits, earlier runs,
    and what this officer may do. The checks are read once for all the panels; the listed
    entries of the hits (whose names only an officer who may decide sees, to compare) are one
    more query."""
    checks = check_runs(application, CheckKind.SECURITY)
    current = next((check for check in checks if check.is_current), None)
    can_decide = has_permission(actor, Perm.DECIDE_APPLICATION)
    hits: list[dict[str, Any]] = []
    if current is not None:
        raw_hits = current.evidence.get("hits", [])
        entries: dict[int, WatchListEntry] = {}
        ids = [hit["entry_id"] for hit in raw_hits if hit.get("entry_id")]
        if can_decide and ids:
            entries = WatchListEntry.objects.in_bulk(ids)
        hits = [
            {
                "list_reference": hit.get("list_reference", ""),
                "score": hit.get("score"),
                "result": hit.get("result", ""),
                "result_label": _result_label(hit.get("result", "")),
                "result_tag": _RESULT_TAGS.get(hit.get("result", ""), "govuk-tag--grey"),
                "agreement": _agreement(hit.get("agreement", {})),
                "entry": entries.get(hit.get("entry_id") or 0),
            }
            for hit in raw_hits
        ]
    undecided = application.status in UNDECIDED_STATUSES
    needs_adjudication = (
        current is not None
        and current.result == ScreeningResult.POSSIBLE_MATCH
        and current.outcome == CheckOutcome.PENDING
    )
    panel: dict[str, Any] = {
        "security_check": current,
        "security_result_tag": _RESULT_TAGS.get(current.result, "govuk-tag--grey")
        if current
        else "",
        "security_outcome_tag": _OUTCOME_TAGS.get(current.outcome, "govuk-tag--grey")
        if current
        else "",
        "security_hits": hits,
        "security_earlier": [check for check in checks if not check.is_current],
        "security_can_run": can_decide and undecided,
        "security_needs_adjudication": needs_adjudication,
    }
    if needs_adjudication and can_decide and undecided:
        panel["security_form"] = SecurityAdjudicationForm()
    return panel


def _result_label(result: str) -> str:
    try:
        return str(ScreeningResult(result).label)
    except ValueError:
        return result
