from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.audit.models import Stream
from safepassage.audit.registry import all_event_types


def _action_choices() -> list[tuple[str, Any]]:
    return [("", _("Any action"))] + [(event.code, event.code) for event in all_event_types()]


class AuditFilterForm(forms.Form):
    stream = forms.ChoiceField(
        label=_("Log"), required=False, choices=[("", _("Both")), *Stream.choices]
    )
    action = forms.ChoiceField(label=_("Action"), required=False, choices=_action_choices)
    object_type = forms.CharField(label=_("Record type"), required=False, max_length=80)
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=64)
    actor_label = forms.CharField(
        label=_("Actor"), required=False, max_length=80, help_text=_("For example user:12")
    )
    on_or_after = forms.DateField(
        label=_("From (YYYY-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date, like 2026-11-24")},
    )
    on_or_before = forms.DateField(
        label=_("To (YYYY-MM-DD)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a real date, like 2026-11-24")},
    )
