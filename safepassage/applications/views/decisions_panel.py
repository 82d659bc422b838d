"""The decision panel of the case view: the live decision, decisions sent back, and for an
application still to decide, what the gate sees and what it would say to a grant or a refusal,
shown before the decision maker confirms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.applications.facts import application_facts
from safepassage.applications.models import (
    UNDECIDED_STATUSES,
    Application,
    DecisionOutcome,
    DecisionState,
)
from safepassage.applications.refusal_reasons import available_reasons, reason_for
from safepassage.applications.selectors import check_runs
from safepassage.core.actors import Actor
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm
from safepassage.policy.services import london_today, policy_verdict


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Your decision"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to grant or refuse the visa")},
    )
    reasons = forms.MultipleChoiceField(
        label=_("Reasons for a refusal"),
        help_text=_("The scheme's rules. The letter quotes each one you choose."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    explanation = forms.CharField(
        label=_("Explanation for the applicant"),
        help_text=_(
            "Needed for a refusal: what you found and why it leads to each reason. The letter "
            "quotes it as you write it."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = [  # type: ignore[attr-defined]
            (reason.code, f"{reason.title} ({reason.rule})") for reason in available_reasons()
        ]


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Your reason or note"),
        help_text=_(
            "Needed to approve (at least 20 characters) or to send back (at least 10). "
            "Optional when you agree as the second pair of eyes."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def decision_panel(actor: Actor, application: Application) -> dict[str, Any]:
    """What the case view's decision panel shows: the live decision, earlier ones sent back, and
    when the application is still to decide, the gate's view of a grant and of a refusal."""
    decisions = list(
        application.decisions.select_related("proposed_by", "second_by", "evaluation").order_by(
            "-proposed_at", "-pk"
        )
    )
    live = next((d for d in decisions if d.state != DecisionState.RETURNED), None)
    undecided = application.status in UNDECIDED_STATUSES and live is None
    panel: dict[str, Any] = {
        "decision": live,
        "decision_reasons": [reason_for(code) for code in live.reasons] if live else [],
        "returned_decisions": [d for d in decisions if d.state == DecisionState.RETURNED],
        "decision_letters": list(live.letters.order_by("pk")) if live and live.is_issued else [],
        "can_decide": has_permission(actor, Perm.DECIDE_APPLICATION),
        "can_approve": has_permission(actor, Perm.OVERRIDE_POLICY),
    }
    if undecided:
        checks = {run.kind: run.outcome for run in check_runs(application) if run.is_current}
        facts = application_facts(application, on=london_today(), checks=checks)
        panel["gate_facts"] = facts
        panel["grant_verdict"] = policy_verdict(action="grant_visa", facts=facts).as_dict()
        panel["refuse_verdict"] = policy_verdict(action="refuse_visa", facts=facts).as_dict()
        panel["propose_form"] = ProposeForm()
    if live is not None and live.state != DecisionState.ISSUED:
        panel["review_form"] = ReviewForm()
    return panel
