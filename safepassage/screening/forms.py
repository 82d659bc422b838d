"""Forms of the screening interview's pages. They check shape; the services
(screening.services.interviews, .recording) enforce the rules.

An answer is posted as a few named fields per question, each name prefixed with the question's
id on a page that shows several (``family_name-state``, ``family_name-value``, ``date_of_birth-
value-day``…) and unprefixed when the page's script saves one question on its own:

- ``state``: answered, no_answer, declined or not_asked (AnswerState);
- ``value``: the answer (``value-day``, ``-month``, ``-year`` for a date; repeated for a list
  of countries);
- ``reason``: why a question was not asked.

A value typed with no state chosen is an answer; a reason typed with no state chosen is a
question not asked. Nothing typed is never thrown away, and nothing chosen is never saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from safepassage.core.countries import country_choices
from safepassage.core.fields import DATE_PARTS, GovukDateField
from safepassage.screening.admin_forms import language_choices, language_name
from safepassage.screening.models import (
    Answer,
    AnswerState,
    ConcernKind,
    Interpreter,
    InterviewMode,
)
from safepassage.screening.questionnaire import Question, Questionnaire

STATE = "state"
VALUE = "value"
REASON = "reason"
AMENDMENT_REASON = "amendment_reason"
NO_INTERPRETER = "none"
# A choice with more options than this is a select, not radios.
RADIO_LIMIT = 6
# Empty country boxes offered after the countries already given.
SPARE_COUNTRIES = 2
MINIMUM_COUNTRY_BOXES = 3
# Languages often spoken by people claiming asylum in the UK, beside the portal's own; any
# language of an interpreter on the register is offered too.
COMMON_LANGUAGES = (
    "sq",
    "bn",
    "zh",
    "ka",
    "hi",
    "ku",
    "om",
    "pa",
    "pt",
    "ru",
    "es",
    "ta",
    "tr",
    "ur",
    "vi",
    "ln",
    "sw",
    "si",
    "ne",
)
READ_BACK_METHODS = (
    ("read", _("Read aloud to the applicant")),
    ("shown", _("Shown to the applicant")),
)


# --- Languages -----------------------------------------------------------------------------


def interview_language_name(code: str) -> str:
    """A language of an interview by name in the reader's language: the portal's own name for
    its languages (Dari, Kurdish (Sorani)), else ISO 639's."""
    named = dict(settings.LANGUAGES)
    return str(named[code]) if code in named else language_name(code)


def interview_language_choices(extra: Iterable[str] = ()) -> list[tuple[str, str]]:
    codes = dict.fromkeys(
        [*(code for code, _name in settings.LANGUAGES), *COMMON_LANGUAGES, *extra]
    )
    choices = [(code, interview_language_name(code)) for code in codes if code]
    choices.sort(key=lambda choice: choice[1].casefold())
    return [("", str(_("Choose a language"))), *choices]


def interpreter_languages_text(interpreter: Interpreter) -> str:
    """'Arabic (Sudanese, Levantine); Tigrinya'."""
    parts = []
    for entry in interpreter.languages:
        name = interview_language_name(entry.get("language", ""))
        dialects = entry.get("dialects") or []
        parts.append(f"{name} ({', '.join(dialects)})" if dialects else name)
    return "; ".join(parts)


# --- Starting the interview ----------------------------------------------------------------


class StartForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How is the interview held?"),
        choices=InterviewMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the interview is held")},
    )
    room = forms.CharField(
        label=_("Room, or the call's details"),
        help_text=_("For example Room 2, or the video call's meeting number"),
        max_length=120,
        error_messages={"required": _("Enter the room, or the call's details")},
    )
    language = forms.ChoiceField(
        label=_("Language of the interview"),
        help_text=_("The language the applicant chose to speak, not their country's"),
        error_messages={"required": _("Choose the language of the interview")},
    )
    dialect = forms.CharField(
        label=_("Dialect (optional)"),
        help_text=_("For example Sudanese Arabic. The interpreter must be registered for it."),
        max_length=80,
        required=False,
    )
    interpreter = forms.ChoiceField(
        label=_("Interpreter"),
        help_text=_(
            "Active interpreters on the register, with their languages and dialects. The "
            "interpreter interprets; you ask the questions and record the answers."
        ),
        error_messages={"required": _("Choose the interpreter, or say there is none")},
    )

    def __init__(
        self,
        *args: Any,
        interpreters: Iterable[Interpreter],
        is_child: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.interpreters = {str(person.pk): person for person in interpreters}
        codes = {
            entry.get("language", "")
            for person in self.interpreters.values()
            for entry in person.languages
        }
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = interview_language_choices(sorted(codes))
        interpreter_field = self.fields["interpreter"]
        assert isinstance(interpreter_field, forms.ChoiceField)
        interpreter_field.choices = self._interpreter_choices()
        if is_child:
            self.fields["responsible_adult"] = forms.CharField(
                label=_("Responsible adult"),
                help_text=_(
                    "The applicant says they are under 18: a responsible adult independent of "
                    "the Home Office must be present (a social worker, foster carer or "
                    "guardian, not the interpreter). Enter their name and role. Without one, "
                    "the interview cannot start."
                ),
                max_length=200,
                required=False,
            )

    def _interpreter_choices(self) -> list[Any]:
        """Grouped by language (an interpreter of several is in each of their groups). Every
        one stays choosable: the service says why one does not fit the language."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, person in self.interpreters.items():
            label = f"{person.full_name} — {interpreter_languages_text(person)}"
            for code in person.language_codes():
                groups.setdefault(code, []).append((key, label))
        grouped: list[Any] = [
            (interview_language_name(code), options)
            for code, options in sorted(
                groups.items(), key=lambda item: interview_language_name(item[0]).casefold()
            )
        ]
        return [
            ("", str(_("Choose an interpreter"))),
            (NO_INTERPRETER, str(_("No interpreter: the applicant speaks the officer's language"))),
            *grouped,
        ]

    def clean_interpreter(self) -> Interpreter | None:
        chosen = self.cleaned_data["interpreter"]
        return None if chosen == NO_INTERPRETER else self.interpreters[chosen]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "mode": data["mode"],
            "room": data["room"],
            "interpreter": data["interpreter"],
            "language": data["language"],
            "dialect": data.get("dialect", ""),
            "responsible_adult": data.get("responsible_adult", ""),
        }


# --- Confirmations, concerns, adjourning, the read-back ------------------------------------


class ConfirmLanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language the applicant confirms"),
        error_messages={"required": _("Choose the language the applicant confirms")},
    )
    dialect = forms.CharField(label=_("Dialect (optional)"), max_length=80, required=False)

    def __init__(self, *args: Any, extra: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = interview_language_choices(extra)


class ConcernForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What did the interpreter do?"),
        choices=ConcernKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the interpreter did")},
    )
    details = forms.CharField(
        label=_("What happened"),
        help_text=_(
            "When in the interview, what was said and what you saw. Write what you know, "
            "not what you suspect."
        ),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe what happened")},
    )


class AdjournForm(forms.Form):
    reason = forms.CharField(
        label=_("Why does the interview stop?"),
        help_text=_(
            "For example: the applicant is unwell, or does not understand the interpreter. "
            "At least 20 characters."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain why the interview stops")},
    )


class ReadBackForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the read-back"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the language the record is read back in")},
    )
    method = forms.ChoiceField(
        label=_("How is the record read back?"),
        choices=READ_BACK_METHODS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether the record is read aloud or shown")},
    )

    def __init__(self, *args: Any, languages: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [(code, interview_language_name(code)) for code in languages]


# --- One answer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PostedAnswer:
    """What was posted for one question. ``problem``: a shape problem found before the
    service (a date that is not one)."""

    state: str
    value: Any
    reason: str
    problem: str = ""

    @property
    def touched(self) -> bool:
        return bool(self.state)


def _date_value(parts: list[str]) -> tuple[str | None, str]:
    try:
        found = GovukDateField(required=False).clean(parts)
    except ValidationError as error:
        return None, " ".join(str(message) for message in error.messages)
    return (found.isoformat() if found else None), ""


def read_answer(question: Question, data: QueryDict, prefix: str = "") -> PostedAnswer:
    """The answer posted for ``question`` (fields named ``<prefix>state`` …)."""
    value_name = f"{prefix}{VALUE}"
    state = str(data.get(f"{prefix}{STATE}") or "").strip()
    reason = str(data.get(f"{prefix}{REASON}") or "")
    problem = ""
    value: Any
    if question.type == "date":
        parts = [str(data.get(f"{value_name}-{part}") or "") for part in DATE_PARTS]
        given = any(part.strip() for part in parts)
        value, problem = _date_value(parts) if given else (None, "")
    elif question.type == "country_list":
        codes = [code.strip() for code in data.getlist(value_name) if code.strip()]
        given = bool(codes)
        value = codes or None
    else:
        raw = str(data.get(value_name) or "")
        given = bool(raw.strip())
        value = raw if given else None
    if not state:
        if given:
            state = AnswerState.ANSWERED
        elif reason.strip():
            state = AnswerState.NOT_ASKED
    if state != AnswerState.ANSWERED:
        problem = ""  # the value is not kept, so its shape does not matter
    return PostedAnswer(state=state, value=value, reason=reason, problem=problem)


def service_entry(question: Question, posted: PostedAnswer) -> dict[str, Any]:
    """The keyword arguments of ``answer_record`` for one posted answer."""
    return {
        "question_id": question.id,
        "state": posted.state,
        "value": posted.value if posted.state == AnswerState.ANSWERED else None,
        "reason": posted.reason,
    }


# --- One answer's fields, as a page shows them ---------------------------------------------


@dataclass
class AnswerFields:
    """Everything the template needs to draw one question's answer fields."""

    prefix: str
    kind: str  # input, textarea, radios, select, date, countries
    grouped: bool  # a fieldset with a legend (several inputs), or one labelled input
    value_id: str
    value_name: str
    value: Any = ""
    options: list[dict[str, Any]] = field(default_factory=list)
    parts: list[dict[str, Any]] = field(default_factory=list)
    boxes: list[dict[str, Any]] = field(default_factory=list)
    inline: bool = False
    states: list[dict[str, Any]] = field(default_factory=list)
    state_name: str = ""
    reason_id: str = ""
    reason_name: str = ""
    reason: str = ""
    problem: str = ""

    @property
    def first_input_id(self) -> str:
        return self.value_id


def _raw_from_answer(question: Question, answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"state": "", "value": "", "parts": ["", "", ""], "list": [], "reason": ""}
    value = answer.value
    raw: dict[str, Any] = {
        "state": answer.state,
        "value": "",
        "parts": ["", "", ""],
        "list": [],
        "reason": answer.not_asked_reason,
    }
    if value is None:
        return raw
    if question.type == "yes_no":
        raw["value"] = "yes" if value else "no"
    elif question.type == "date":
        year, month, day = str(value).split("-")
        raw["parts"] = [str(int(day)), str(int(month)), year]
    elif question.type == "country_list":
        raw["list"] = list(value)
    else:
        raw["value"] = str(value)
    return raw


def _raw_from_post(question: Question, data: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    value_name = f"{prefix}{VALUE}"
    getlist = getattr(data, "getlist", None)
    return {
        "state": str(data.get(f"{prefix}{STATE}") or ""),
        "value": str(data.get(value_name) or ""),
        "parts": [str(data.get(f"{value_name}-{part}") or "") for part in DATE_PARTS],
        "list": [code for code in (getlist(value_name) if getlist else []) if code],
        "reason": str(data.get(f"{prefix}{REASON}") or ""),
    }


def _options(
    choices: Iterable[tuple[str, str]], *, name: str, base_id: str, chosen: Iterable[str]
) -> list[dict[str, Any]]:
    picked = set(chosen)
    return [
        {
            "id": base_id if index == 0 else f"{base_id}-{index + 1}",
            "name": name,
            "value": code,
            "label": label,
            "checked": code in picked,
        }
        for index, (code, label) in enumerate(choices)
    ]


def _staff_language() -> str:
    return (get_language() or "en").split("-")[0]


def answer_fields(
    questionnaire: Questionnaire,
    question: Question,
    *,
    prefix: str,
    answer: Answer | None,
    posted: Mapping[str, Any] | None = None,
    problem: str = "",
) -> AnswerFields:
    """The fields of one question, filled with what was posted (a page shown again with its
    problems) or with the answer recorded."""
    raw = _raw_from_post(question, posted, prefix) if posted else _raw_from_answer(question, answer)
    value_name = f"{prefix}{VALUE}"
    value_id = f"{prefix}{VALUE}"
    language = _staff_language()
    fields = AnswerFields(
        prefix=prefix,
        kind="input",
        grouped=False,
        value_id=value_id,
        value_name=value_name,
        value=raw["value"],
        state_name=f"{prefix}{STATE}",
        reason_id=f"{prefix}{REASON}",
        reason_name=f"{prefix}{REASON}",
        reason=raw["reason"],
        problem=problem,
    )
    kind = question.type
    if kind == "long_text":
        fields.kind = "textarea"
    elif kind == "yes_no":
        fields.kind, fields.grouped, fields.inline = "radios", True, True
        fields.options = _options(
            [("yes", str(_("Yes"))), ("no", str(_("No")))],
            name=value_name,
            base_id=value_id,
            chosen=[raw["value"]],
        )
    elif kind == "choice":
        codes = questionnaire.vocabularies[question.vocabulary or ""]
        choices = [(code, questionnaire.choice_label(question, code, language)) for code in codes]
        if len(choices) <= RADIO_LIMIT:
            fields.kind, fields.grouped = "radios", True
            fields.options = _options(
                choices, name=value_name, base_id=value_id, chosen=[raw["value"]]
            )
        else:
            fields.kind = "select"
            fields.options = _select_options(
                [("", str(_("Choose an answer"))), *choices], raw["value"]
            )
    elif kind == "date":
        fields.kind, fields.grouped = "date", True
        fields.value_id = f"{value_id}-day"
        fields.parts = [
            {
                "id": f"{value_id}-{part}",
                "name": f"{value_name}-{part}",
                "value": part_value,
                "label": label,
                "width": 4 if part == "year" else 2,
            }
            for part, part_value, label in zip(
                DATE_PARTS, raw["parts"], (_("Day"), _("Month"), _("Year")), strict=True
            )
        ]
    elif kind == "country":
        fields.kind = "select"
        fields.options = _select_options(
            [("", str(_("Choose a country"))), *country_choices(language)], raw["value"]
        )
    elif kind == "country_list":
        fields.kind, fields.grouped = "countries", True
        given = raw["list"]
        count = max(len(given) + SPARE_COUNTRIES, MINIMUM_COUNTRY_BOXES)
        countries = [("", str(_("Choose a country"))), *country_choices(language)]
        fields.boxes = [
            {
                "id": value_id if number == 1 else f"{value_id}-{number}",
                "number": number,
                "options": _select_options(
                    countries, given[number - 1] if number <= len(given) else ""
                ),
            }
            for number in range(1, count + 1)
        ]
    elif kind == "language":
        fields.kind = "select"
        fields.options = _select_options(language_choices(), raw["value"])
    fields.states = _options(
        [(str(code), str(label)) for code, label in AnswerState.choices],
        name=fields.state_name,
        base_id=f"{prefix}{STATE}",
        chosen=[raw["state"]],
    )
    for option in fields.states:
        option["conditional"] = option["value"] == AnswerState.NOT_ASKED
    return fields


def _select_options(choices: Iterable[tuple[str, str]], chosen: str) -> list[dict[str, Any]]:
    return [
        {"value": code, "label": label, "selected": code == chosen and code != ""}
        for code, label in choices
    ]
