from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.core.fields import GovukDateField
from safepassage.policy.labels import ACTION_LABELS
from safepassage.policy.packs.uk import ACTIONS

EXAMPLE_FACTS = {
    "person": {
        "date_of_birth": "1990-03-14",
        "claimed_minor": False,
        "age_assessment": "none",
        "accompanied": True,
        "sex": "M",
        "pregnant": False,
    },
    "vulnerabilities": [{"category": "torture", "evidence_level": 2}],
    "referrals": {"nrm": "none", "age_assessment": "none", "rule35": "none"},
    "detention": {"detained": False, "facility": "none", "hours": 0},
    "public_protection_concern": False,
}


def _action_choices() -> list[tuple[str, Any]]:
    return [(action, ACTION_LABELS[action]) for action in ACTIONS]


class RuleFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any action")), *_action_choices()]
    )
    search = forms.CharField(label=_("Words in the rule"), required=False, max_length=100)


class CheckActionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Action"),
        choices=_action_choices,
        error_messages={"required": _("Choose the action to check")},
    )
    on = GovukDateField(
        label=_("On this date (optional)"),
        required=False,
        help_text=_("Leave empty for today. For example, 24 11 2026"),
    )
    facts = forms.CharField(
        label=_("Facts (JSON)"),
        help_text=_(
            "The facts the gate decides from, as in docs/policy.md. Missing facts are unknown."
        ),
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false", "dir": "ltr"}),
        max_length=20000,
        error_messages={"required": _("Enter the facts, or {} for none")},
    )

    def clean_facts(self) -> Any:
        raw = self.cleaned_data["facts"]
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("The facts are not valid JSON: %(problem)s (line %(line)d, column %(column)d)")
                % {"problem": error.msg, "line": error.lineno, "column": error.colno}
            ) from None


def example_facts_text() -> str:
    return json.dumps(EXAMPLE_FACTS, indent=2)
