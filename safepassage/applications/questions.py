"""The questions of the visa application, one thing per page (GOV.UK question pages).

Each page is a Django form whose cleaned data is plain JSON, kept in the draft's answers under
the page's slug. The same forms validate a partner system's API submission, so the two paths
cannot drift apart. Every message here is shown to the applicant, in their language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models import DocumentKind
from safepassage.core.countries import country_choices
from safepassage.core.errors import ValidationFailed
from safepassage.core.fields import GovukDateField, PartialDateField
from safepassage.core.sms import normalise_email, normalise_phone

Answers = dict[str, Any]

NAME_MAX = 100
PROTECTION_MAX = 5000
DETAILS_MAX = 3000
STATELESS = "stateless"
UNITED_KINGDOM = "GBR"
MAX_CHILDREN = 12
ADULT_AGE = 18


def _countries(*, exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return country_choices(get_language() or settings.LANGUAGE_CODE, exclude=exclude)


@lru_cache(maxsize=8)
def _country_codes(exclude: tuple[str, ...]) -> frozenset[str]:
    return frozenset(code for code, _name in country_choices("en", exclude=exclude))


class CountryField(forms.ChoiceField):
    """A country by ISO 3166 alpha-3, named in the reader's language.

    The 250 names are listed only when a page shows them (the choices are a callable), and an
    answer is checked against a set of codes: re-checking a whole application's answers, as
    sending one does, then costs nothing per country question."""

    def __init__(
        self,
        *,
        exclude: tuple[str, ...] = (),
        first: tuple[tuple[str, Any], ...] = (),
        **kwargs: Any,
    ) -> None:
        self.exclude, self.first = exclude, first
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", _("Select a country from the list"))
        super().__init__(choices=self._named, **kwargs)

    def _named(self) -> list[tuple[str, Any]]:
        return [("", _("Select a country")), *self.first, *_countries(exclude=self.exclude)]

    def valid_value(self, value: Any) -> bool:
        return value in _country_codes(self.exclude) or value in dict(self.first)


def _clean_text(value: str) -> str:
    """Collapse whitespace and drop control and invisible formatting characters."""
    kept = "".join(ch for ch in value if unicodedata.category(ch) not in ("Cc", "Cf", "Co"))
    return " ".join(kept.split())


def _is_latin_name(value: str) -> bool:
    letters = [ch for ch in value if ch.isalpha()]
    return bool(letters) and all("LATIN" in unicodedata.name(ch, "") for ch in letters)


def _name_field(label: Any, *, required: bool, hint: Any = "", message: Any = "") -> forms.Field:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=required,
        max_length=NAME_MAX,
        error_messages={
            "required": message,
            "max_length": _("Names must be %(limit)s characters or fewer") % {"limit": NAME_MAX},
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class NameForm(forms.Form):
    given_names = _name_field(
        _("Given names"),
        required=True,
        hint=_("In Latin letters (A to Z), as in your passport if you have one"),
        message=_("Enter your given names"),
    )
    family_name = _name_field(
        _("Family name (optional)"),
        required=False,
        hint=_("Leave this empty if you have only one name"),
    )
    given_names_original = _name_field(
        _("Given names in your own language's script (optional)"), required=False
    )
    family_name_original = _name_field(
        _("Family name in your own language's script (optional)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.fields:
            if isinstance(data.get(name), str):
                data[name] = _clean_text(data[name])
        for name in ("given_names", "family_name"):
            value = data.get(name)
            if value and not _is_latin_name(value):
                self.add_error(
                    name,
                    _(
                        "Write your name here in Latin letters (A to Z). You can write it in "
                        "your own script below"
                    ),
                )
        if not data.get("given_names") and "given_names" not in self.errors:
            self.add_error("given_names", _("Enter your given names"))
        return data


class DateOfBirthForm(forms.Form):
    date_of_birth = PartialDateField(
        label=_("What is your date of birth?"),
        help_text=_(
            "For example, 27 3 1990. If you do not know the day or the month, enter the year only"
        ),
    )
    estimated = forms.BooleanField(
        label=_("This date is an estimate"), required=False, help_text=_("Tick this if unsure")
    )

    def clean_date_of_birth(self) -> str:
        value: str = self.cleaned_data["date_of_birth"]
        if value and int(value[:4]) < 1900:
            raise forms.ValidationError(_("Enter a year after 1900"), code="too_old")
        return value


class NationalityForm(forms.Form):
    nationality = CountryField(
        label=_("What is your nationality?"),
        help_text=_("The country of your passport or citizenship"),
        first=((STATELESS, _("I am stateless (I have no nationality)")),),
        error_messages={"required": _("Select your nationality, or that you are stateless")},
    )


class CurrentCountryForm(forms.Form):
    current_country = CountryField(
        exclude=(UNITED_KINGDOM,),
        label=_("Which country are you in now?"),
        help_text=_("You must be outside the UK to apply for a safe-passage visa"),
        error_messages={
            "required": _("Select the country you are in now"),
            "invalid_choice": _(
                "Select the country you are in now. You must be outside the UK to apply"
            ),
        },
    )


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class FamilyForm(forms.Form):
    children_applying = forms.ChoiceField(
        label=_("Are any of your children under 18 travelling with you?"),
        help_text=_(
            "Each child gets their own application, linked to yours. Adults in your family "
            "must make their own application"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select yes if any of your children are travelling with you")
        },
    )


def youngest_age(born: str, today: date) -> int:
    """The youngest the person can be, given what is known of their date of birth."""
    year = int(born[:4])
    month = int(born[5:7]) if len(born) >= 7 else 12
    day = int(born[8:10]) if len(born) == 10 else 28
    return today.year - year - ((today.month, today.day) < (month, day))


class ChildForm(forms.Form):
    given_names = _name_field(
        _("Child's given names"),
        required=True,
        hint=_("In Latin letters (A to Z)"),
        message=_("Enter the child's given names"),
    )
    family_name = _name_field(_("Child's family name (optional)"), required=False)
    date_of_birth = PartialDateField(
        label=_("Child's date of birth"),
        help_text=_("For example, 4 8 2015. If you do not know the day or month, enter the year"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("given_names", "family_name"):
            value = _clean_text(data.get(name) or "")
            data[name] = value
            if value and not _is_latin_name(value):
                self.add_error(name, _("Write the child's name in Latin letters (A to Z)"))
        born = data.get("date_of_birth")
        if born and youngest_age(born, date.today()) >= ADULT_AGE:
            self.add_error(
                "date_of_birth",
                _("The child must be under 18. Adults must make their own application"),
            )
        return data


PROTECTION_REASONS = [
    ("political_opinion", _("My political opinions, or opinions people think I have")),
    ("religion", _("My religion or beliefs")),
    ("ethnicity_or_nationality", _("My ethnic group, race or nationality")),
    ("sexual_orientation_or_gender", _("My sexual orientation or gender identity")),
    ("social_group", _("Belonging to a group that is targeted, like my family or my job")),
    ("war_or_violence", _("War or widespread violence where I lived")),
    ("other", _("Another reason")),
]


class ProtectionForm(forms.Form):
    reasons = forms.MultipleChoiceField(
        label=_("Why do you need protection?"),
        help_text=_("Select all that apply"),
        choices=PROTECTION_REASONS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one reason you need protection")},
    )
    explanation = forms.CharField(
        label=_("Tell us in your own words why you cannot stay safely where you are"),
        help_text=_("A few sentences is enough. You can tell us more at your interview"),
        max_length=PROTECTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Tell us why you need protection"),
            "max_length": _("Use %(limit)s characters or fewer") % {"limit": PROTECTION_MAX},
        },
    )

    def clean_explanation(self) -> str:
        value = "\n".join(
            _clean_text(line) for line in self.cleaned_data["explanation"].splitlines()
        )
        if not value.strip():
            raise forms.ValidationError(_("Tell us why you need protection"), code="required")
        return value.strip()


# Codes from POLICY.md §2, so that what the applicant tells us arrives as evidence level 1
# (self-declared) for the vulnerability assessment.
VULNERABILITIES = [
    ("torture", _("I have been tortured")),
    ("trafficking", _("I have been forced to work, or someone controls me or my money")),
    ("sgbv", _("I have suffered sexual or gender-based violence")),
    ("physical_illness", _("I have a serious illness")),
    ("disability", _("I have a disability")),
    ("mental_health", _("I have a mental health condition")),
    ("pregnancy", _("I am pregnant")),
    ("older_person", _("I am 70 or older")),
    ("lgbtqi", _("I am lesbian, gay, bisexual, transgender or intersex")),
    ("single_parent", _("I am bringing up my children alone")),
]


class VulnerabilityForm(forms.Form):
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Is there anything you would like us to know, so we can protect you?"),
        help_text=_(
            "You do not have to tell us. What you tell us is kept private and helps us decide "
            "quickly. Select all that apply, or none"
        ),
        choices=VULNERABILITIES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    details = forms.CharField(
        label=_("Anything else you want to tell us (optional)"),
        required=False,
        max_length=DETAILS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Use %(limit)s characters or fewer") % {"limit": DETAILS_MAX}
        },
    )

    def clean_details(self) -> str:
        return "\n".join(
            _clean_text(line) for line in self.cleaned_data["details"].splitlines()
        ).strip()


class ContactForm(forms.Form):
    email = forms.CharField(
        label=_("Email address (optional)"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile number (optional)"),
        help_text=_("Start with + and the country code, like +964 770 123 4567"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel", "dir": "ltr"}),
    )

    def clean_email(self) -> str:
        value = self.cleaned_data["email"].strip()
        if not value:
            return ""
        email = normalise_email(value)
        if email is None:
            raise forms.ValidationError(
                _("Enter an email address in the correct format, like name@example.com")
            )
        return email

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        phone = normalise_phone(value)
        if phone is None:
            raise forms.ValidationError(
                _("Enter a mobile number starting with + and the country code")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("email") and not data.get("phone"):
            self.add_error(
                "email", _("Enter an email address or a mobile number, so we can contact you")
            )
        return data


OTHER_LANGUAGE = "other"


class LanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=_("Which language should we use to contact you and at your interview?"),
        error_messages={"required": _("Select a language")},
        widget=forms.RadioSelect,
    )
    other_language = forms.CharField(
        label=_("If you chose another language, which one?"),
        required=False,
        max_length=60,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].choices = [  # type: ignore[attr-defined]
            *settings.LANGUAGES,
            (OTHER_LANGUAGE, _("Another language")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["other_language"] = _clean_text(data.get("other_language") or "")
        if data.get("preferred_language") == OTHER_LANGUAGE and not data["other_language"]:
            self.add_error("other_language", _("Enter the language you want us to use"))
        if data.get("preferred_language") != OTHER_LANGUAGE:
            data["other_language"] = ""
        return data


NO_DOCUMENT = "none"
IDENTITY_DOCUMENT_KINDS = [
    (kind.value, kind.label) for kind in DocumentKind if kind != DocumentKind.CONSENT_FORM
]


class DocumentForm(forms.Form):
    document_kind = forms.ChoiceField(
        label=_("Do you have an identity document?"),
        help_text=_("Many people do not. You can still apply"),
        choices=[*IDENTITY_DOCUMENT_KINDS, (NO_DOCUMENT, _("I do not have an identity document"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a document, or that you do not have one")},
    )


class DocumentDetailsForm(forms.Form):
    number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"}),
        error_messages={"required": _("Enter the document number")},
    )
    issuing_country = CountryField(
        label=_("Country that issued the document"),
        error_messages={"required": _("Select the country that issued the document")},
    )
    expires_on = GovukDateField(
        label=_("Expiry date (optional)"),
        required=False,
        help_text=_("For example, 31 12 2030. An expired document is still useful"),
    )

    def clean_number(self) -> str:
        value = "".join(_clean_text(self.cleaned_data["number"]).split()).upper()
        if not value.isalnum():
            raise forms.ValidationError(_("The document number can only have letters and numbers"))
        return value

    def clean_expires_on(self) -> str:
        value = self.cleaned_data.get("expires_on")
        return value.isoformat() if value else ""


class DeclarationForm(forms.Form):
    intends_to_claim_asylum = forms.BooleanField(
        label=_("I intend to claim asylum in the UK when I arrive"),
        error_messages={
            "required": _("You must intend to claim asylum in the UK to get this visa")
        },
    )
    information_is_true = forms.BooleanField(
        label=_("The information I have given is true, as far as I know"),
        error_messages={"required": _("Confirm that the information you have given is true")},
    )


@dataclass(frozen=True)
class Question:
    """One page of the journey."""

    slug: str
    title: Any
    form: type[forms.Form] | None
    applies: Callable[[Answers], bool] = lambda answers: True


def _has_children(answers: Answers) -> bool:
    return answers.get("family", {}).get("children_applying") == "yes"


def _has_document(answers: Answers) -> bool:
    kind = answers.get("document", {}).get("document_kind")
    return bool(kind) and kind != NO_DOCUMENT


# The journey, in order. 'children' and 'uploads' are pages with a list, not a single form.
QUESTIONS: list[Question] = [
    Question("name", _("Your name"), NameForm),
    Question("date-of-birth", _("Date of birth"), DateOfBirthForm),
    Question("nationality", _("Nationality"), NationalityForm),
    Question("location", _("Where you are now"), CurrentCountryForm),
    Question("family", _("Children travelling with you"), FamilyForm),
    Question("children", _("Your children"), None, _has_children),
    Question("protection", _("Why you need protection"), ProtectionForm),
    Question("vulnerability", _("Things we should know to protect you"), VulnerabilityForm),
    Question("contact", _("Contact details"), ContactForm),
    Question("language", _("Language"), LanguageForm),
    Question("document", _("Identity document"), DocumentForm),
    Question(
        "document-details", _("Identity document details"), DocumentDetailsForm, _has_document
    ),
    Question("uploads", _("Documents you upload"), None),
    Question("declaration", _("Declaration"), DeclarationForm),
]
BY_SLUG = {question.slug: question for question in QUESTIONS}


def applicable(answers: Answers) -> list[Question]:
    return [question for question in QUESTIONS if question.applies(answers)]


def listed_children(answers: Answers) -> list[dict[str, Any]]:
    """The children added on the children page (whether or not that page still applies)."""
    return list(answers.get("children", {}).get("children", []))


def is_answered(question: Question, answers: Answers) -> bool:
    if question.slug == "children":
        return bool(listed_children(answers))
    if question.slug == "uploads":
        return bool(answers.get("uploads", {}).get("done"))
    return question.slug in answers


def first_unanswered(answers: Answers) -> Question | None:
    for question in applicable(answers):
        if not is_answered(question, answers):
            return question
    return None


def next_question(slug: str, answers: Answers) -> Question | None:
    """The page after this one, given the answers so far."""
    pages = applicable(answers)
    slugs = [question.slug for question in pages]
    if slug not in slugs:
        return first_unanswered(answers)
    index = slugs.index(slug)
    return pages[index + 1] if index + 1 < len(pages) else None


def form_data(form_class: type[forms.Form], stored: dict[str, Any]) -> dict[str, Any]:
    """Stored answers as the form would have received them from a browser, to re-validate.
    Only the kinds of field matter here, so the class's fields do (no form is built)."""
    data: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        value = stored.get(name)
        if isinstance(field, forms.MultiValueField):
            parts = field.widget.decompress(value)
            for part, part_value in zip(("day", "month", "year"), parts, strict=True):
                data[f"{name}_{part}"] = "" if part_value is None else str(part_value)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def incomplete_questions(answers: Answers) -> list[Question]:
    """Every page that is unanswered or whose stored answer no longer passes its checks."""
    problems = []
    for question in applicable(answers):
        if not is_answered(question, answers):
            problems.append(question)
            continue
        if question.form is not None:
            form = question.form(
                data=_as_querydict(form_data(question.form, answers[question.slug]))
            )
            if not form.is_valid():
                problems.append(question)
    return problems


def _as_querydict(data: dict[str, Any]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, [str(item) for item in value])
        else:
            query[key] = str(value)
    return query


def _clean_page(
    form_class: type[forms.Form], raw: Any, path: str, errors: dict[str, list[str]]
) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        errors[path] = [str(_("Expected an object"))]
        return None
    unknown = set(raw) - set(form_class.base_fields)
    for name in sorted(unknown):
        errors[f"{path}.{name}"] = [str(_("Unknown field"))]
    form = form_class(data=_as_querydict(form_data(form_class, raw)))
    if not form.is_valid():
        for name, messages in form.errors.items():
            key = path if name == "__all__" else f"{path}.{name}"
            errors[key] = [str(message) for message in messages]
        return None
    return dict(form.cleaned_data)


def clean_answers(raw: Any) -> Answers:
    """A whole application's answers sent at once (a partner system's API call), checked by the
    same forms as the portal's pages. Raises ValidationFailed naming each field, as
    'answers.<page>.<field>'."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, dict):
        raise ValidationFailed(extra={"fields": {"answers": [str(_("Expected an object"))]}})
    known = {q.slug for q in QUESTIONS if q.form is not None} | {"children"}
    for slug in sorted(set(raw) - known):
        errors[f"answers.{slug}"] = [str(_("Unknown question"))]
    answers: Answers = {}
    for question in QUESTIONS:
        if question.form is None or question.slug not in raw:
            continue
        cleaned = _clean_page(question.form, raw[question.slug], f"answers.{question.slug}", errors)
        if cleaned is not None:
            answers[question.slug] = cleaned
    if _has_children(answers):
        children = raw.get("children")
        if not isinstance(children, list) or not children:
            errors["answers.children"] = [
                str(_("Add each child travelling with you, or go back and answer no"))
            ]
        elif len(children) > MAX_CHILDREN:
            errors["answers.children"] = [
                str(
                    _("You can add up to %(count)s children. Contact us if more are travelling.")
                    % {"count": MAX_CHILDREN}
                )
            ]
        else:
            cleaned_children = []
            for number, child in enumerate(children):
                cleaned = _clean_page(ChildForm, child, f"answers.children.{number}", errors)
                if cleaned is not None:
                    cleaned_children.append({**cleaned, "id": f"c{number + 1}"})
            answers["children"] = {"children": cleaned_children}
    for question in applicable(answers):
        if (
            question.form is not None
            and question.slug not in answers
            and not any(key.startswith(f"answers.{question.slug}") for key in errors)
        ):
            errors[f"answers.{question.slug}"] = [str(_("This question must be answered"))]
    if errors:
        raise ValidationFailed(
            _("Some answers are missing or need checking."), extra={"fields": errors}
        )
    answers["uploads"] = {"done": True}
    return answers
