"""Forms of the accreditation pages: they check shape; workforce.services enforces the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.core.fields import GovukDateField
from safepassage.workforce.models import AccreditationKind


class GrantForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Accreditation"),
        choices=[("", _("Choose an accreditation")), *AccreditationKind.choices],
        error_messages={"required": _("Choose an accreditation")},
    )
    valid_from = GovukDateField(
        label=_("Valid from"),
        help_text=_("The day the training was passed, for example 1 4 2026"),
        error_messages={"required": _("Enter the date the accreditation starts")},
    )
    expires_on = GovukDateField(
        label=_("Expires on"),
        help_text=_("The last day it is valid: three years after it starts at most"),
        error_messages={"required": _("Enter the date the accreditation expires")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        help_text=_("At least 10 characters. This is kept in the audit log"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the accreditation is withdrawn")},
    )


class StaffSearchForm(forms.Form):
    search = forms.CharField(label=_("Name, username or email"), required=False, max_length=100)
