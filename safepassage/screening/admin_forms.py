"""Forms of the questionnaire's versions and the interpreters' register. They check shape; the
services (screening.services.questionnaires, .interpreters) enforce the rules."""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import pycountry
from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safepassage.core.countries import catalogue_locales
from safepassage.core.errors import DomainError
from safepassage.core.fields import GovukDateField
from safepassage.core.models import User
from safepassage.screening.services.questionnaires import DEFINITION_LIMIT

LANGUAGE_ROWS = 4
LANGUAGE_DOMAIN = "iso639-3"


# --- Language names ------------------------------------------------------------------------


@lru_cache(maxsize=32)  # bounded: the language comes from the request
def _language_catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        LANGUAGE_DOMAIN,
        pycountry.LOCALES_DIR,
        languages=catalogue_locales(language),
        fallback=True,
    )


def language_name(code: str) -> str:
    """An ISO 639 language's name in the reader's language (English where pycountry's catalogue
    has none), or the code itself when it is not a language."""
    found = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    if found is None:
        return code
    return _language_catalogue(get_language() or "en").gettext(found.name)


def language_choices() -> list[tuple[str, str]]:
    """Every language with a two-letter code, by name in the reader's language."""
    choices = [
        (language.alpha_2, language_name(language.alpha_2))
        for language in pycountry.languages
        if hasattr(language, "alpha_2")
    ]
    choices.sort(key=lambda choice: choice[1].casefold())
    return [("", str(_("Choose a language"))), *choices]


# --- The questionnaire ---------------------------------------------------------------------


class DefinitionForm(forms.Form):
    definition = forms.CharField(
        label=_("The questionnaire, in YAML"),
        help_text=_(
            "Sections, questions, vocabularies and translations, in the format the "
            "questionnaire files use. Every problem is listed when you save."
        ),
        strip=False,
        max_length=DEFINITION_LIMIT,
        widget=forms.Textarea(
            attrs={
                "rows": 30,
                "dir": "ltr",
                "spellcheck": "false",
                "autocapitalize": "none",
                "autocomplete": "off",
            }
        ),
        error_messages={
            "required": _("Enter the questionnaire"),
            "max_length": _(
                "The questionnaire is too long: use %(limit_value)s characters or fewer"
            ),
        },
    )
    notes = forms.CharField(
        label=_("Notes on this version (optional)"),
        help_text=_("What changed and why: administrators read this in the list of versions"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- Interpreters --------------------------------------------------------------------------


class InterpreterAccountChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.username})"


class InterpreterForm(forms.Form):
    """The register's entry. Up to four languages, each with its dialects typed as a list."""

    # Required here too (the service checks again), so an empty form names every missing part
    # at once, the date's included.
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter the interpreter's full name")},
    )
    accreditation_reference = forms.CharField(
        label=_("Accreditation reference"),
        help_text=_("For example the DPSI or NRPSI number"),
        max_length=60,
        widget=forms.TextInput(attrs={"spellcheck": "false", "dir": "ltr"}),
        error_messages={"required": _("Enter the accreditation reference")},
    )
    accreditation_expires_on = GovukDateField(
        label=_("Accreditation expires on"),
        help_text=_("For example 31 3 2027"),
        error_messages={"required": _("Enter the date the accreditation expires")},
    )
    account = InterpreterAccountChoice(
        label=_("Their account (optional)"),
        help_text=_(
            "Link an account with the interpreter role, so they can sign the interpreter's "
            "declaration themselves"
        ),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No account"),
    )

    def __init__(
        self,
        *args: Any,
        accounts: QuerySet[User],
        with_active: bool = False,
        keep_codes: Iterable[str] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        account_field = self.fields["account"]
        assert isinstance(account_field, forms.ModelChoiceField)
        account_field.queryset = accounts
        choices = language_choices()
        # A language already on the register by its three-letter code stays choosable.
        offered = {code for code, _label in choices}
        choices += [(code, language_name(code)) for code in keep_codes if code not in offered]
        for row in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=_("Language"), choices=choices, required=False
            )
            self.fields[f"dialects_{row}"] = forms.CharField(
                label=_("Dialects"),
                help_text=_("Separate dialects with commas, for example Sudanese, Levantine"),
                max_length=300,
                required=False,
            )
        if with_active:
            self.fields["is_active"] = forms.BooleanField(
                label=_("On the register: can be chosen for interviews"), required=False
            )

    def language_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": row,
                "language": self[f"language_{row}"],
                "dialects": self[f"dialects_{row}"],
            }
            for row in range(1, LANGUAGE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        languages = []
        for row in range(1, LANGUAGE_ROWS + 1):
            code = data.get(f"language_{row}") or ""
            dialects = [
                " ".join(part.split())
                for part in (data.get(f"dialects_{row}") or "").split(",")
                if part.strip()
            ]
            if dialects and not code:
                self.add_error(f"language_{row}", _("Choose the language these dialects belong to"))
            if code:
                languages.append({"language": code, "dialects": dialects})
        if not languages and not self.has_error("language_1"):
            self.add_error("language_1", _("Add at least one language the interpreter works in"))
        data["languages"] = languages
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "full_name": data.get("full_name", ""),
            "languages": data.get("languages", []),
            "accreditation_reference": data.get("accreditation_reference", ""),
            "accreditation_expires_on": data["accreditation_expires_on"],
            "account": data.get("account"),
        }

    def add_service_error(self, error: DomainError) -> None:
        """A refusal from the register's service, against the field it is about; the languages'
        problems go against the first language."""
        for field, messages in error.field_errors().items():
            target = "language_1" if field == "languages" else field
            for message in messages:
                self.add_error(target if target in self.fields else None, message)

    @staticmethod
    def initial_for(interpreter: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "full_name": interpreter.full_name,
            "accreditation_reference": interpreter.accreditation_reference,
            "accreditation_expires_on": interpreter.accreditation_expires_on,
            "account": interpreter.account_id,
            "is_active": interpreter.is_active,
        }
        for row, entry in enumerate(interpreter.languages[:LANGUAGE_ROWS], start=1):
            initial[f"language_{row}"] = entry.get("language", "")
            initial[f"dialects_{row}"] = ", ".join(entry.get("dialects", []))
        return initial
