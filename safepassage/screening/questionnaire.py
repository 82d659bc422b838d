"""The questionnaire as data: read, validated and interpreted without a database.

A version's *definition* is one JSON-able dict (``questionnaire.yaml`` with its translations
merged in, see ``load_directory``). ``parse`` validates it strictly and returns a
``Questionnaire``; every problem is named with where it is, so an administrator can fix a draft.
The rest is pure functions over answers: which questions are shown, whether a value fits a
question, and which vulnerability indicators the answers raise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pycountry
import yaml
from django.utils.translation import gettext_lazy as _

from safepassage.core.countries import country_name, is_country
from safepassage.core.text import ascii_digits
from safepassage.policy.facts import VULNERABILITY_CODES

QUESTION_TYPES = (
    "text",
    "long_text",
    "yes_no",
    "choice",
    "date",
    "country",
    "country_list",
    "language",
)
TEXT_LIMITS = {"text": 300, "long_text": 5000}
WELFARE_CHOICES = ("include", "skip")
_ID = re.compile(r"^[a-z][a-z0-9_]{1,78}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
SHIPPED = Path(__file__).resolve().parent / "questionnaires"


class DefinitionError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class AnswerError(ValueError):
    """A value that does not fit its question; the message says what would."""


@dataclass(frozen=True)
class Condition:
    question: str | None = None
    equals: Any = None
    any_of: tuple[Condition, ...] = ()
    raised: str | None = None

    def holds(self, values: Mapping[str, Any], raised: set[str]) -> bool:
        if self.any_of:
            return any(item.holds(values, raised) for item in self.any_of)
        if self.raised is not None:
            return self.raised in raised
        return (
            self.question is not None
            and values.get(self.question, None) == self.equals
            and (self.question in values)
        )


@dataclass(frozen=True)
class Raises:
    category: str
    when: Any = None
    when_any_of: frozenset[str] = frozenset()
    when_age_at_least: int | None = None

    def fires(self, value: Any, on: date) -> bool:
        if value is None:
            return False
        if self.when_any_of:
            return bool(self.when_any_of & set(value))
        if self.when_age_at_least is not None:
            born = date.fromisoformat(value)
            age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
            return age >= self.when_age_at_least
        if self.when == "answered":
            return bool(str(value).strip())
        return bool(value == self.when)


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    type: str
    mandatory: bool
    text: Mapping[str, str]
    guidance: str
    vocabulary: str | None = None
    show_if: Condition | None = None
    raises: Raises | None = None
    welfare: bool = True

    def text_in(self, language: str) -> str:
        return self.text.get(language) or self.text["en"]


@dataclass(frozen=True)
class Section:
    id: str
    title: Mapping[str, str]
    guidance: str
    welfare: bool
    questions: tuple[Question, ...]

    def title_in(self, language: str) -> str:
        return self.title.get(language) or self.title["en"]


@dataclass(frozen=True)
class Questionnaire:
    title: str
    sections: tuple[Section, ...]
    vocabularies: Mapping[str, Mapping[str, Mapping[str, str]]]  # name → code → lang → text
    yes_no: Mapping[str, tuple[str, str]]  # language → (yes, no)
    languages: tuple[str, ...]
    questions: Mapping[str, Question] = field(default_factory=dict)

    def sections_for(self, *, welfare: bool) -> list[Section]:
        return [section for section in self.sections if section.welfare or not welfare]

    def asked(self, *, welfare: bool) -> list[Question]:
        """Every question of the variant, in order, before conditions."""
        return [
            question
            for section in self.sections_for(welfare=welfare)
            for question in section.questions
            if question.welfare or not welfare
        ]

    def choice_label(self, question: Question, code: str, language: str) -> str:
        labels = self.vocabularies[question.vocabulary or ""].get(code, {})
        return labels.get(language) or labels.get("en") or code


# --- Reading -------------------------------------------------------------------------------


def load_directory(directory: Path) -> dict[str, Any]:
    """One shipped version: ``questionnaire.yaml`` plus ``translations/<lang>.yaml`` merged."""
    definition = yaml.safe_load((directory / "questionnaire.yaml").read_text(encoding="utf-8"))
    translations = {}
    for path in sorted((directory / "translations").glob("*.yaml")):
        translation = yaml.safe_load(path.read_text(encoding="utf-8"))
        translations[translation["language"]] = translation
    definition["translations"] = translations
    return definition


def shipped_versions() -> list[Path]:
    return sorted(path for path in SHIPPED.iterdir() if (path / "questionnaire.yaml").exists())


# --- Validating ----------------------------------------------------------------------------


def parse(definition: Any) -> Questionnaire:
    """The questionnaire a definition describes, or DefinitionError naming every problem."""
    problems: list[str] = []
    if not isinstance(definition, dict):
        raise DefinitionError(["The questionnaire must be a mapping with sections."])
    _unknown_keys(
        definition, {"title", "vocabularies", "sections", "translations"}, "questionnaire", problems
    )
    translations = definition.get("translations") or {}
    if not isinstance(translations, dict):
        problems.append("translations must be a mapping of language to its texts")
        translations = {}
    vocabularies = _vocabularies(definition.get("vocabularies") or {}, translations, problems)
    sections: list[Section] = []
    questions: dict[str, Question] = {}
    raw_sections = definition.get("sections")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append("sections must be a non-empty list")
        raw_sections = []
    section_ids: set[str] = set()
    for index, raw in enumerate(raw_sections):
        section = _section(raw, index, vocabularies, questions, section_ids, translations, problems)
        if section is not None:
            sections.append(section)
    yes_no = {"en": ("Yes", "No")}
    for language, translation in translations.items():
        if not isinstance(language, str):
            problems.append(f"translations: {language} is not a language code")
            continue
        _check_translation(language, translation, section_ids, questions, vocabularies, problems)
        if isinstance(translation, dict) and translation.get("yes") and translation.get("no"):
            yes_no[language] = (str(translation["yes"]), str(translation["no"]))
    if problems:
        raise DefinitionError(problems)
    return Questionnaire(
        title=str(definition.get("title") or ""),
        sections=tuple(sections),
        vocabularies=vocabularies,
        yes_no=yes_no,
        languages=("en", *sorted(translations)),
        questions=questions,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    """``value`` if it is a mapping, else an empty one: a part of the wrong shape is reported
    where that part is checked, and must not stop the rest being checked."""
    return value if isinstance(value, dict) else {}


def _unknown_keys(raw: dict[str, Any], allowed: set[str], where: str, problems: list[str]) -> None:
    for key in sorted(set(raw) - allowed, key=str):
        problems.append(f"{where}: unknown key “{key}”")


def _vocabularies(
    raw: Any, translations: Mapping[str, Any], problems: list[str]
) -> dict[str, dict[str, dict[str, str]]]:
    vocabularies: dict[str, dict[str, dict[str, str]]] = {}
    if not isinstance(raw, dict):
        problems.append("vocabularies must be a mapping")
        return vocabularies
    for name, entries in raw.items():
        if not isinstance(entries, list) or not entries:
            problems.append(f"vocabulary {name}: must be a non-empty list")
            continue
        codes: dict[str, dict[str, str]] = {}
        for entry in entries:
            if not isinstance(entry, dict) or not _ID.match(str(entry.get("code", ""))):
                problems.append(f"vocabulary {name}: each entry needs a snake_case code")
                continue
            if entry["code"] in codes:
                problems.append(f"vocabulary {name}: code {entry['code']} appears twice")
            labels = {"en": str(entry.get("text") or "")}
            if not labels["en"]:
                problems.append(f"vocabulary {name}: code {entry['code']} has no text")
            for language, translation in translations.items():
                translated = _mapping(_mapping(_mapping(translation).get("vocabularies")).get(name))
                if translated.get(entry["code"]):
                    labels[language] = str(translated[entry["code"]])
            codes[entry["code"]] = labels
        vocabularies[name] = codes
    return vocabularies


def _texts(english: Any, key: str, ident: str, translations: Mapping[str, Any]) -> dict[str, str]:
    texts = {"en": str(english)}
    for language, translation in translations.items():
        translated = _mapping(_mapping(translation).get(key)).get(ident)
        if translated:
            texts[language] = str(translated)
    return texts


def _welfare(raw: dict[str, Any], where: str, problems: list[str]) -> bool:
    value = raw.get("welfare", "include")
    if value not in WELFARE_CHOICES:
        problems.append(f"{where}: welfare must be include or skip")
    return value != "skip"


def _section(
    raw: Any,
    index: int,
    vocabularies: Mapping[str, Any],
    questions: dict[str, Question],
    section_ids: set[str],
    translations: Mapping[str, Any],
    problems: list[str],
) -> Section | None:
    if not isinstance(raw, dict):
        problems.append(f"section {index + 1}: must be a mapping")
        return None
    ident = str(raw.get("id", ""))
    where = f"section {ident or index + 1}"
    _unknown_keys(raw, {"id", "title", "guidance", "welfare", "questions"}, where, problems)
    if not _ID.match(ident):
        problems.append(f"{where}: id must be snake_case")
    elif ident in section_ids:
        problems.append(f"{where}: the id is used twice")
    section_ids.add(ident)
    if not raw.get("title"):
        problems.append(f"{where}: has no title")
    welfare = _welfare(raw, where, problems)
    own: list[Question] = []
    raw_questions = raw.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        problems.append(f"{where}: questions must be a non-empty list")
        raw_questions = []
    for raw_question in raw_questions:
        question = _question(raw_question, ident, vocabularies, questions, translations, problems)
        if question is not None:
            questions[question.id] = question
            own.append(question)
    return Section(
        id=ident,
        title=_texts(raw.get("title") or "", "sections", ident, translations),
        guidance=str(raw.get("guidance") or "").strip(),
        welfare=welfare,
        questions=tuple(own),
    )


def _question(
    raw: Any,
    section: str,
    vocabularies: Mapping[str, Any],
    earlier: Mapping[str, Question],
    translations: Mapping[str, Any],
    problems: list[str],
) -> Question | None:
    if not isinstance(raw, dict):
        problems.append(f"section {section}: each question must be a mapping")
        return None
    ident = str(raw.get("id", ""))
    where = f"question {ident or '(no id)'}"
    _unknown_keys(
        raw,
        {
            "id",
            "type",
            "mandatory",
            "text",
            "guidance",
            "vocabulary",
            "show_if",
            "raises",
            "welfare",
        },
        where,
        problems,
    )
    if not _ID.match(ident):
        problems.append(f"{where}: id must be snake_case")
    elif ident in earlier:
        problems.append(f"{where}: the id is used twice")
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        problems.append(f"{where}: type must be one of {', '.join(QUESTION_TYPES)}")
    if not isinstance(raw.get("mandatory"), bool):
        problems.append(f"{where}: mandatory must be true or false")
    if not raw.get("text"):
        problems.append(f"{where}: has no text")
    vocabulary = raw.get("vocabulary")
    if kind == "choice" and (not isinstance(vocabulary, str) or vocabulary not in vocabularies):
        problems.append(f"{where}: a choice needs a vocabulary defined in vocabularies")
    elif kind != "choice" and vocabulary is not None:
        problems.append(f"{where}: only a choice has a vocabulary")
    show_if = _condition(raw.get("show_if"), where, earlier, vocabularies, problems)
    raises = _raises(raw.get("raises"), kind, where, problems)
    return Question(
        id=ident,
        section=section,
        type=str(kind),
        mandatory=bool(raw.get("mandatory")),
        text=_texts(raw.get("text") or "", "questions", ident, translations),
        guidance=str(raw.get("guidance") or "").strip(),
        vocabulary=vocabulary,
        show_if=show_if,
        raises=raises,
        welfare=_welfare(raw, where, problems),
    )


def _condition(
    raw: Any,
    where: str,
    earlier: Mapping[str, Question],
    vocabularies: Mapping[str, Any],
    problems: list[str],
) -> Condition | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append(f"{where}: show_if must be a mapping")
        return None
    if "any" in raw:
        items = raw["any"]
        if not isinstance(items, list) or not items or set(raw) != {"any"}:
            problems.append(f"{where}: show_if any must be a non-empty list on its own")
            return None
        conditions = [_condition(item, where, earlier, vocabularies, problems) for item in items]
        return Condition(any_of=tuple(item for item in conditions if item is not None))
    if "raised" in raw:
        if raw["raised"] not in VULNERABILITY_CODES or set(raw) != {"raised"}:
            problems.append(f"{where}: show_if raised must name one vulnerability category")
        return Condition(raised=str(raw["raised"]))
    target = earlier.get(str(raw.get("question")))
    if set(raw) != {"question", "equals"} or target is None:
        problems.append(f"{where}: show_if needs a question defined earlier and a value it equals")
        return None
    # A choice without a vocabulary is reported on the choice itself.
    codes = vocabularies.get(target.vocabulary or "", {})
    if target.type == "yes_no" and not isinstance(raw["equals"], bool):
        problems.append(f"{where}: show_if on a yes/no question equals true or false")
    elif (
        target.type == "choice"
        and codes
        and (not isinstance(raw["equals"], str) or raw["equals"] not in codes)
    ):
        problems.append(f"{where}: show_if equals a code of {target.id}'s vocabulary")
    elif target.type not in ("yes_no", "choice"):
        problems.append(f"{where}: show_if can test only a yes/no or a choice question")
    return Condition(question=target.id, equals=raw["equals"])


def _raises(raw: Any, kind: Any, where: str, problems: list[str]) -> Raises | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or raw.get("category") not in VULNERABILITY_CODES:
        problems.append(f"{where}: raises needs a category from the vulnerability codes")
        return None
    category = raw["category"]
    if kind == "yes_no" and set(raw) == {"category", "when"} and isinstance(raw["when"], bool):
        return Raises(category=category, when=raw["when"])
    if kind == "country_list" and set(raw) == {"category", "when_any_of"}:
        codes = raw["when_any_of"]
        if isinstance(codes, list) and codes and all(is_country(str(code)) for code in codes):
            return Raises(category=category, when_any_of=frozenset(map(str, codes)))
    if kind in ("text", "long_text") and raw == {"category": category, "when": "answered"}:
        return Raises(category=category, when="answered")
    if (
        kind == "date"
        and set(raw) == {"category", "when_age_at_least"}
        and isinstance(raw["when_age_at_least"], int)
        and raw["when_age_at_least"] > 0
    ):
        return Raises(category=category, when_age_at_least=raw["when_age_at_least"])
    problems.append(f"{where}: raises does not fit a {kind} question")
    return None


def _check_translation(
    language: str,
    translation: Any,
    section_ids: set[str],
    questions: Mapping[str, Question],
    vocabularies: Mapping[str, Mapping[str, Any]],
    problems: list[str],
) -> None:
    where = f"translation {language}"
    if not isinstance(translation, dict):
        problems.append(f"{where}: must be a mapping")
        return
    _unknown_keys(
        translation,
        {"language", "title", "sections", "questions", "vocabularies", "yes", "no"},
        where,
        problems,
    )
    for key, expected in (("sections", section_ids), ("questions", set(questions))):
        given = _mapping(translation.get(key))
        missing = sorted(expected - set(given))
        unknown = sorted(map(str, set(given) - expected))
        if missing:
            problems.append(f"{where}: {key} not translated: {', '.join(missing)}")
        if unknown:
            problems.append(f"{where}: {key} not in the questionnaire: {', '.join(unknown)}")
    for name, codes in vocabularies.items():
        given = _mapping(_mapping(translation.get("vocabularies")).get(name))
        missing = sorted(set(codes) - set(given))
        if missing:
            problems.append(f"{where}: vocabulary {name} not translated: {', '.join(missing)}")
    if not translation.get("yes") or not translation.get("no"):
        problems.append(f"{where}: the words for yes and no are missing")
        if True in translation or False in translation:
            # YAML reads an unquoted yes: or no: key as true or false.
            problems.append(f'{where}: write the keys "yes" and "no" in quotes')


# --- Interpreting answers --------------------------------------------------------------------


def raised_categories(
    questionnaire: Questionnaire, values: Mapping[str, Any], on: date
) -> dict[str, list[str]]:
    """Each vulnerability category the answers raise, with the questions that raise it."""
    raised: dict[str, list[str]] = {}
    for question in questionnaire.questions.values():
        if question.raises and question.raises.fires(values.get(question.id), on):
            raised.setdefault(question.raises.category, []).append(question.id)
    return raised


def shown_questions(
    questionnaire: Questionnaire, values: Mapping[str, Any], *, welfare: bool, on: date
) -> list[Question]:
    """The questions this interview asks, in order, given the answers so far. A condition on
    ``raised`` sees what the earlier answers raise."""
    shown: list[Question] = []
    raised: set[str] = set()
    for question in questionnaire.asked(welfare=welfare):
        if question.show_if is None or question.show_if.holds(values, raised):
            shown.append(question)
            if question.raises and question.raises.fires(values.get(question.id), on):
                raised.add(question.raises.category)
    return shown


def clean_value(questionnaire: Questionnaire, question: Question, raw: Any) -> Any:
    """The stored form of an answer, or AnswerError saying what the question accepts."""
    if question.type in TEXT_LIMITS:
        text = str(raw or "").strip()
        if not text:
            raise AnswerError(_("Enter the answer, or say why there is none"))
        if len(text) > TEXT_LIMITS[question.type]:
            raise AnswerError(
                _("Use %(limit)s characters or fewer in this answer")
                % {"limit": TEXT_LIMITS[question.type]}
            )
        return text
    if question.type == "yes_no":
        if raw in (True, "yes", "true"):
            return True
        if raw in (False, "no", "false"):
            return False
        raise AnswerError(_("Choose yes or no"))
    if question.type == "choice":
        choices = questionnaire.vocabularies[question.vocabulary or ""]
        if not isinstance(raw, str) or raw not in choices:
            raise AnswerError(_("Choose one of the options"))
        return raw
    if question.type == "date":
        return _clean_date(raw)
    if question.type == "country":
        code = str(raw or "").strip().upper()
        if not is_country(code):
            raise AnswerError(_("Choose a country from the list"))
        return code
    if question.type == "country_list":
        codes = raw if isinstance(raw, list | tuple) else str(raw or "").replace(",", " ").split()
        cleaned = list(dict.fromkeys(str(code).strip().upper() for code in codes))
        if not cleaned or not all(is_country(code) for code in cleaned):
            raise AnswerError(_("Choose countries from the list"))
        return cleaned
    if question.type == "language":
        code = str(raw or "").strip().lower()
        if not code or not (
            pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
        ):
            raise AnswerError(_("Choose a language from the list"))
        return code
    raise AnswerError(_("This question cannot be answered"))  # unreachable after parse()


def _clean_date(raw: Any) -> str:
    text = ascii_digits(str(raw or "")).strip()
    match = _DATE.match(text)
    if not match:
        raise AnswerError(_("Enter a real date, like 2001-04-27"))
    try:
        value = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise AnswerError(_("Enter a real date, like 2001-04-27")) from None
    if value > date.today() or value.year < 1900:
        raise AnswerError(_("Enter a date in the past"))
    return value.isoformat()


def display_value(
    questionnaire: Questionnaire, question: Question, value: Any, language: str
) -> str:
    """An answer as a person reads it back, in ``language`` where the questionnaire has it."""
    if value is None:
        return ""
    if question.type == "yes_no":
        yes, no = questionnaire.yes_no.get(language) or questionnaire.yes_no["en"]
        return yes if value else no
    if question.type == "choice":
        return questionnaire.choice_label(question, value, language)
    if question.type == "country":
        return _country(value, language)
    if question.type == "country_list":
        return ", ".join(_country(code, language) for code in value)
    if question.type == "language":
        found = pycountry.languages.get(alpha_2=value) or pycountry.languages.get(alpha_3=value)
        return found.name if found else value
    return str(value)


def _country(code: str, language: str) -> str:
    return country_name(code, language)
