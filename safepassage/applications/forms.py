"""Forms of the portal's own pages (the questions themselves are in questions.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models import ConsentMethod
from safepassage.applications.questions import IDENTITY_DOCUMENT_KINDS
from safepassage.applications.services.submission import INFORMATION_MAX


class ContactSignInForm(forms.Form):
    contact = forms.CharField(
        label=_("Your email address or mobile number"),
        help_text=_(
            "We will send you a code. For a mobile number, start with + and the country code, "
            "like +964 770 123 4567"
        ),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "dir": "ltr"}
        ),
        error_messages={"required": _("Enter your email address or mobile number")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code we sent you"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "dir": "ltr"}
        ),
        error_messages={"required": _("Enter the 6-digit code we sent you")},
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is this document?"),
        choices=[("", _("Select a type of document")), *IDENTITY_DOCUMENT_KINDS],
        error_messages={"required": _("Select what kind of document this is")},
    )
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("A photo or scan: JPG, PNG or PDF, smaller than 10 MB"),
        error_messages={"required": _("Select a file"), "empty": _("The selected file is empty")},
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class SubmitForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing your application? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_("I want to withdraw my application"),
        error_messages={"required": _("Confirm that you want to withdraw your application")},
    )


class InformationForm(forms.Form):
    text = forms.CharField(
        label=_("What do you want to tell us?"),
        max_length=INFORMATION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Enter the information you want to add")},
    )


class AssistedStartForm(forms.Form):
    contact = forms.CharField(
        label=_("The applicant's email address or mobile number"),
        help_text=_(
            "They will use it to see their application and can take back their consent there"
        ),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
        error_messages={"required": _("Enter the applicant's email address or mobile number")},
    )
    language = forms.ChoiceField(
        label=_("The applicant's language"),
        choices=settings.LANGUAGES,
        error_messages={"required": _("Select the applicant's language")},
    )
    method = forms.ChoiceField(
        label=_("How did the applicant give consent?"),
        choices=ConsentMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how the applicant gave their consent")},
    )
    script_read = forms.BooleanField(
        label=_("I read the consent script to the applicant and they agreed"), required=False
    )
    signed_form = forms.FileField(
        label=_("Signed consent form (if signed)"),
        required=False,
        help_text=_("JPG, PNG or PDF, smaller than 10 MB"),
    )
