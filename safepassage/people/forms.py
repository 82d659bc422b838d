"""Forms for recording identities and deciding matches: they check shape; services check rules."""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.core.fields import GovukDateField, PartialDateField
from safepassage.people.models import Decision, DocumentType, Script, Sex, Verification
from safepassage.people.services import DocumentInput, IdentityInput

# Languages people registering most often speak (ISO 639 codes), for the checkbox list.
COMMON_LANGUAGES = (
    ("ar", _("Arabic")),
    ("fa", _("Persian (Farsi)")),
    ("prs", _("Dari")),
    ("ps", _("Pashto")),
    ("ckb", _("Kurdish (Sorani)")),
    ("kmr", _("Kurdish (Kurmanji)")),
    ("ti", _("Tigrinya")),
    ("am", _("Amharic")),
    ("so", _("Somali")),
    ("sq", _("Albanian")),
    ("vi", _("Vietnamese")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("ur", _("Urdu")),
    ("fr", _("French")),
    ("en", _("English")),
)


def country_choices() -> list[tuple[str, Any]]:
    countries = sorted(pycountry.countries, key=lambda country: country.name)
    return [("", _("Not known or stateless"))] + [
        (country.alpha_3, country.name) for country in countries
    ]


class IdentityForm(forms.Form):
    given_names = forms.CharField(
        label=_("Given names, in Latin letters"), max_length=150, required=False
    )
    family_name = forms.CharField(
        label=_("Family name, in Latin letters"), max_length=150, required=False
    )
    original_script = forms.ChoiceField(
        label=_("Script of the name as the person writes it"),
        choices=[("", _("Latin letters only")), *Script.choices],
        required=False,
    )
    given_names_original = forms.CharField(
        label=_("Given names, as the person writes them"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "spellcheck": "false"}),
    )
    family_name_original = forms.CharField(
        label=_("Family name, as the person writes it"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "spellcheck": "false"}),
    )
    date_of_birth = PartialDateField(
        label=_("Date of birth"),
        required=False,
        help_text=_("As much as is known: the year, or the month and year, or the full date"),
    )
    dob_estimated = forms.BooleanField(label=_("The date of birth is an estimate"), required=False)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=Sex.choices, required=False, widget=forms.RadioSelect
    )
    nationality = forms.ChoiceField(label=_("Nationality"), choices=country_choices, required=False)
    place_of_birth = forms.CharField(label=_("Place of birth"), max_length=120, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=COMMON_LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    document_type = forms.ChoiceField(
        label=_("Identity document, if they have one"),
        choices=[("", _("No document")), *DocumentType.choices],
        required=False,
    )
    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False)
    document_country = forms.ChoiceField(
        label=_("Issued by"), choices=country_choices, required=False
    )
    document_expires = GovukDateField(label=_("Expiry date (optional)"), required=False)
    document_verification = forms.ChoiceField(
        label=_("How the document was checked"), choices=Verification.choices, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("document_type") and not data.get("document_number"):
            self.add_error("document_number", _("Enter the document number"))
        if data.get("document_number") and not data.get("document_type"):
            self.add_error("document_type", _("Choose the type of document"))
        return data


class CorrectionForm(IdentityForm):
    reason = forms.CharField(
        label=_("Why the identity is being corrected"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": _("Say why the identity is being corrected")},
    )


class MatchDecisionForm(forms.Form):
    candidate = forms.IntegerField(widget=forms.HiddenInput)
    probability = forms.FloatField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label=_("Is this the same person?"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this is the same person")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Needed when they are not the same person; kept in the audit log"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )


class SearchForm(forms.Form):
    text = forms.CharField(
        label=_("Name or document number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto", "spellcheck": "false"}),
    )


def identity_input(data: dict[str, Any]) -> IdentityInput:
    """The service's input from an IdentityForm's cleaned data."""
    documents: tuple[DocumentInput, ...] = ()
    if data.get("document_type"):
        documents = (
            DocumentInput(
                document_type=data["document_type"],
                number=data["document_number"],
                issuing_country=data.get("document_country", ""),
                expires_on=data.get("document_expires"),
                verification=data.get("document_verification") or "unverified",
            ),
        )
    return IdentityInput(
        given_names=data.get("given_names", ""),
        family_name=data.get("family_name", ""),
        given_names_original=data.get("given_names_original", ""),
        family_name_original=data.get("family_name_original", ""),
        original_script=data.get("original_script", ""),
        date_of_birth=data.get("date_of_birth", ""),
        dob_estimated=data.get("dob_estimated", False),
        sex=data.get("sex", ""),
        nationality=data.get("nationality", ""),
        place_of_birth=data.get("place_of_birth", ""),
        languages=tuple(data.get("languages", ())),
        documents=documents,
    )
