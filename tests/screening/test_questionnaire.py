"""The questionnaire as data: validating a definition, and interpreting answers.

``parse`` names every problem with where it is; the interpreting functions are pure, so
hypothesis checks them over generated answers: a value is accepted only in its stored form, a
condition is honoured, only known vulnerability codes are raised, and the children's welfare
variant never asks what it skips.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.policy.facts import VULNERABILITY_CODES
from safepassage.screening.questionnaire import (
    AnswerError,
    DefinitionError,
    Question,
    Questionnaire,
    clean_value,
    load_directory,
    parse,
    raised_categories,
    shipped_versions,
    shown_questions,
)
from tests.cases.builders import SMALL

TODAY = date(2026, 6, 1)


def changed(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    definition = copy.deepcopy(SMALL)
    change(definition)
    return definition


def section(definition: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(item for item in definition["sections"] if item["id"] == ident)


def question(definition: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(
        item for part in definition["sections"] for item in part["questions"] if item["id"] == ident
    )


def arabic(definition: dict[str, Any]) -> dict[str, Any]:
    return definition["translations"]["ar"]


def problems_of(definition: Any) -> list[str]:
    with pytest.raises(DefinitionError) as refused:
        parse(definition)
    return refused.value.problems


def test_the_small_definition_parses_with_its_translation():
    questionnaire = parse(SMALL)
    assert questionnaire.languages == ("en", "ar")
    assert [part.id for part in questionnaire.sections] == ["identity", "journey", "criminality"]
    assert questionnaire.questions["owes_money"].text_in("ar") == "هل تدين بمال مقابل الرحلة؟"
    assert questionnaire.yes_no["ar"] == ("نعم", "لا")


def _set(path: Callable[[dict[str, Any]], dict[str, Any]], key: str, value: Any):
    return lambda definition: path(definition).__setitem__(key, value)


def _pop(path: Callable[[dict[str, Any]], dict[str, Any]], key: str):
    return lambda definition: path(definition).pop(key)


def _q(ident: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda definition: question(definition, ident)


def _s(ident: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda definition: section(definition, ident)


def _ar_questions(definition: dict[str, Any]) -> dict[str, Any]:
    return arabic(definition)["questions"]


REJECTED = {
    "an unknown key at the top": (
        _set(lambda d: d, "colour", "red"),
        "questionnaire: unknown key “colour”",
    ),
    "an unknown key in a section": (
        _set(_s("identity"), "colour", "red"),
        "section identity: unknown key “colour”",
    ),
    "an unknown key in a question": (
        _set(_q("family_name"), "colour", "red"),
        "question family_name: unknown key “colour”",
    ),
    "a question id used twice": (
        _set(_q("owes_money"), "id", "family_name"),
        "question family_name: the id is used twice",
    ),
    "a section id used twice": (
        _set(_s("criminality"), "id", "journey"),
        "section journey: the id is used twice",
    ),
    "an id that is not snake_case": (
        _set(_q("family_name"), "id", "Family-Name"),
        "question Family-Name: id must be snake_case",
    ),
    "an unknown question type": (
        _set(_q("family_name"), "type", "essay"),
        "question family_name: type must be one of text, long_text, yes_no, choice",
    ),
    "mandatory that is not true or false": (
        _set(_q("family_name"), "mandatory", "yes"),
        "question family_name: mandatory must be true or false",
    ),
    "a question without text": (
        _set(_q("family_name"), "text", ""),
        "question family_name: has no text",
    ),
    "a welfare value that is neither include nor skip": (
        _set(_q("convicted"), "welfare", "sometimes"),
        "question convicted: welfare must be include or skip",
    ),
    "a choice without a vocabulary": (
        _pop(_q("dob_basis"), "vocabulary"),
        "question dob_basis: a choice needs a vocabulary defined in vocabularies",
    ),
    "a choice with an undefined vocabulary": (
        _set(_q("dob_basis"), "vocabulary", "colours"),
        "question dob_basis: a choice needs a vocabulary defined in vocabularies",
    ),
    "a vocabulary on a question that is not a choice": (
        _set(_q("family_name"), "vocabulary", "basis"),
        "question family_name: only a choice has a vocabulary",
    ),
    "show_if on a later question": (
        _set(_q("owed_to_whom"), "show_if", {"question": "convicted", "equals": True}),
        "question owed_to_whom: show_if needs a question defined earlier and a value it equals",
    ),
    "show_if on the question itself": (
        _set(_q("owed_to_whom"), "show_if", {"question": "owed_to_whom", "equals": True}),
        "question owed_to_whom: show_if needs a question defined earlier",
    ),
    "show_if on a text question": (
        _set(_q("owed_to_whom"), "show_if", {"question": "family_name", "equals": "Haddad"}),
        "question owed_to_whom: show_if can test only a yes/no or a choice question",
    ),
    "show_if on a yes/no question equal to a word": (
        _set(_q("owed_to_whom"), "show_if", {"question": "owes_money", "equals": "yes"}),
        "question owed_to_whom: show_if on a yes/no question equals true or false",
    ),
    "show_if on a choice equal to a code it does not have": (
        _set(_q("owed_to_whom"), "show_if", {"question": "dob_basis", "equals": "guessed"}),
        "question owed_to_whom: show_if equals a code of dob_basis's vocabulary",
    ),
    "show_if on a category that is not a vulnerability code": (
        _set(_q("nrm_consent"), "show_if", {"raised": "sadness"}),
        "question nrm_consent: show_if raised must name one vulnerability category",
    ),
    "an empty show_if any": (
        _set(_q("owed_to_whom"), "show_if", {"any": []}),
        "question owed_to_whom: show_if any must be a non-empty list on its own",
    ),
    "raises with a category not in the codes": (
        _set(_q("owes_money"), "raises", {"category": "sadness", "when": True}),
        "question owes_money: raises needs a category from the vulnerability codes",
    ),
    "raises on a yes/no by countries": (
        _set(_q("owes_money"), "raises", {"category": "trafficking", "when_any_of": ["LBY"]}),
        "question owes_money: raises does not fit a yes_no question",
    ),
    "raises on a yes/no by a word": (
        _set(_q("owes_money"), "raises", {"category": "trafficking", "when": "yes"}),
        "question owes_money: raises does not fit a yes_no question",
    ),
    "raises on a date by yes": (
        _set(_q("date_of_birth"), "raises", {"category": "older_person", "when": True}),
        "question date_of_birth: raises does not fit a date question",
    ),
    "raises on countries that do not exist": (
        _set(
            _q("countries_transited"), "raises", {"category": "trafficking", "when_any_of": ["XXX"]}
        ),
        "question countries_transited: raises does not fit a country_list question",
    ),
    "a translation missing a question": (
        lambda d: _ar_questions(d).pop("convicted"),
        "translation ar: questions not translated: convicted",
    ),
    "a translation of a question that does not exist": (
        lambda d: _ar_questions(d).__setitem__("ghost", "شبح"),
        "translation ar: questions not in the questionnaire: ghost",
    ),
    "a translation missing a section": (
        lambda d: arabic(d)["sections"].pop("criminality"),
        "translation ar: sections not translated: criminality",
    ),
    "a translation missing a vocabulary code": (
        lambda d: arabic(d)["vocabularies"]["basis"].pop("estimated"),
        "translation ar: vocabulary basis not translated: estimated",
    ),
    "a translation without yes": (
        lambda d: arabic(d).pop("yes"),
        "translation ar: the words for yes and no are missing",
    ),
    "a translation with an empty no": (
        lambda d: arabic(d).__setitem__("no", ""),
        "translation ar: the words for yes and no are missing",
    ),
    "a translation with an unknown key": (
        lambda d: arabic(d).__setitem__("colour", "أحمر"),
        "translation ar: unknown key “colour”",
    ),
    "no sections": (
        _set(lambda d: d, "sections", []),
        "sections must be a non-empty list",
    ),
    "a section without questions": (
        _set(_s("criminality"), "questions", []),
        "section criminality: questions must be a non-empty list",
    ),
    "a vocabulary entry without a code": (
        lambda d: d["vocabularies"]["basis"].append({"text": "Guessed"}),
        "vocabulary basis: each entry needs a snake_case code",
    ),
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_a_bad_definition_is_refused_naming_where_the_problem_is(case):
    change, expected = REJECTED[case]
    problems = problems_of(changed(change))
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_named_at_once():
    def two_problems(definition: dict[str, Any]) -> None:
        question(definition, "family_name")["type"] = "essay"
        arabic(definition)["questions"].pop("convicted")

    problems = problems_of(changed(two_problems))
    assert any(problem.startswith("question family_name: type") for problem in problems)
    assert "translation ar: questions not translated: convicted" in problems


def test_a_definition_that_is_not_a_mapping_is_refused():
    assert problems_of(["sections"]) == ["The questionnaire must be a mapping with sections."]


def test_a_condition_on_a_choice_without_a_vocabulary_is_a_problem_not_a_crash():
    def broken(definition: dict[str, Any]) -> None:
        question(definition, "dob_basis").pop("vocabulary")
        question(definition, "owed_to_whom")["show_if"] = {
            "question": "dob_basis",
            "equals": "estimated",
        }

    problems = problems_of(changed(broken))
    assert "question dob_basis: a choice needs a vocabulary defined in vocabularies" in problems


def test_unquoted_yes_and_no_in_a_translation_are_explained():
    # YAML reads `yes: نعم` as {True: "نعم"}.
    text = "yes: نعم\nno: لا\n"
    words = yaml.safe_load(text)
    assert words == {True: "نعم", False: "لا"}

    def unquoted(definition: dict[str, Any]) -> None:
        translation = arabic(definition)
        del translation["yes"], translation["no"]
        translation.update(words)

    problems = problems_of(changed(unquoted))
    assert "translation ar: the words for yes and no are missing" in problems
    assert 'translation ar: write the keys "yes" and "no" in quotes' in problems


def test_a_translation_must_be_keyed_by_its_language():
    def numbered(definition: dict[str, Any]) -> None:
        definition["translations"][3] = definition["translations"]["ar"]

    assert "translations: 3 is not a language code" in problems_of(changed(numbered))


# --- Any definition an administrator may type ----------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    # YAML keys may be numbers or booleans as well as text.
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=6) | st.integers() | st.booleans(), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


PATHS = _paths(SMALL)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PATHS), JSON)
def test_any_value_anywhere_is_either_valid_or_named_never_a_crash(path, value):
    definition = copy.deepcopy(SMALL)
    parent = definition
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    problems: list[str] = []
    try:
        parse(definition)
    except DefinitionError as error:
        problems = error.problems or ["(none named)"]
    assert all(isinstance(problem, str) and problem for problem in problems)


# --- Interpreting answers --------------------------------------------------------------------

SMALL_QUESTIONNAIRE = parse(SMALL)
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(),
    st.lists(st.text(max_size=6), max_size=4),
    st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2),
    st.sampled_from(
        [
            "yes",
            "no",
            "true",
            "false",
            "SDN",
            " sdn ",
            "LBY, fra",
            "1990-01-01",
            "1990-1-1",
            "٢٠٠٠-٠١-٠١",  # noqa: RUF001 (Arabic-Indic digits)
            "31/02/2020",
            "2020-02-30",
            "ar",
            "AR",
            "document",
            "",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        [
            "family_name",
            "journey_account",
            "owes_money",
            "dob_basis",
            "date_of_birth",
            "nationality",
            "countries_transited",
            "language_spoken",
        ]
    ),
    ANYTHING,
)
def test_a_value_is_refused_only_with_an_answer_error_and_cleaning_is_idempotent(ident, raw):
    question_ = SMALL_QUESTIONNAIRE.questions[ident]
    refusal = None
    try:
        value = clean_value(SMALL_QUESTIONNAIRE, question_, raw)
    except AnswerError as error:
        refusal = str(error)
    if refusal is None:
        assert clean_value(SMALL_QUESTIONNAIRE, question_, value) == value
    else:
        assert refusal  # a message a person can act on


@pytest.mark.parametrize(
    ("ident", "raw", "stored"),
    [
        ("owes_money", "yes", True),
        ("owes_money", False, False),
        ("nationality", " sdn ", "SDN"),
        ("date_of_birth", "٢٠٠٠-٠١-٠٢", "2000-01-02"),  # noqa: RUF001 (Arabic-Indic digits)
        ("countries_transited", "lby, fra LBY", ["LBY", "FRA"]),
        ("language_spoken", "AR", "ar"),
        ("family_name", "  Haddad ", "Haddad"),
    ],
)
def test_a_value_is_stored_in_one_form(ident, raw, stored):
    assert clean_value(SMALL_QUESTIONNAIRE, SMALL_QUESTIONNAIRE.questions[ident], raw) == stored


COUNTRIES = ["SDN", "ERI", "LBY", "NER", "TCD", "FRA", "ITA", "AFG"]


def value_strategy(questionnaire: Questionnaire, question_: Question) -> st.SearchStrategy[Any]:
    """Values as the services store them, for one question."""
    kind = question_.type
    if kind in ("text", "long_text"):
        return st.text(min_size=1, max_size=12).map(str.strip).filter(bool)
    if kind == "yes_no":
        return st.booleans()
    if kind == "choice":
        return st.sampled_from(sorted(questionnaire.vocabularies[question_.vocabulary or ""]))
    if kind == "date":
        return st.dates(min_value=date(1900, 1, 1), max_value=TODAY).map(date.isoformat)
    if kind == "country":
        return st.sampled_from(COUNTRIES)
    if kind == "country_list":
        return st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True)
    return st.sampled_from(["ar", "fa", "ti", "en"])


def answers(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            ident: value_strategy(questionnaire, question_)
            for ident, question_ in questionnaire.questions.items()
        },
    )


def shipped() -> Questionnaire | None:
    versions = shipped_versions()
    return parse(load_directory(versions[0])) if versions else None


QUESTIONNAIRES = [SMALL_QUESTIONNAIRE]
_SHIPPED = None
# While the shipped version is being written it may not parse: test_shipped_questionnaire says so.
with contextlib.suppress(DefinitionError):
    _SHIPPED = shipped()
if _SHIPPED is not None:
    QUESTIONNAIRES.append(_SHIPPED)


@st.composite
def questionnaire_and_answers(draw: st.DrawFn) -> tuple[Questionnaire, dict[str, Any], bool]:
    questionnaire = draw(st.sampled_from(QUESTIONNAIRES))
    return questionnaire, draw(answers(questionnaire)), draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(questionnaire_and_answers())
def test_conditions_are_honoured_and_unconditional_questions_always_shown(drawn):
    questionnaire, values, welfare = drawn
    shown = shown_questions(questionnaire, values, welfare=welfare, on=TODAY)
    asked = questionnaire.asked(welfare=welfare)
    shown_ids = [question_.id for question_ in shown]
    # In the questionnaire's order, and only questions of the variant.
    assert shown_ids == [question_.id for question_ in asked if question_.id in shown_ids]
    raised_so_far: set[str] = set()
    for question_ in asked:
        condition = question_.show_if
        if condition is None:
            assert question_.id in shown_ids, question_.id
        else:
            parts = condition.any_of or (condition,)
            holds = any(
                part.raised in raised_so_far
                if part.raised is not None
                else values.get(part.question or "", object()) == part.equals
                for part in parts
            )
            assert (question_.id in shown_ids) == holds, question_.id
        raises = question_.raises
        if question_.id in shown_ids and raises and raises.fires(values.get(question_.id), TODAY):
            raised_so_far.add(raises.category)


@settings(max_examples=200, deadline=None)
@given(answers(SMALL_QUESTIONNAIRE))
def test_the_small_questionnaires_conditions_by_hand(values):
    adult = [q.id for q in shown_questions(SMALL_QUESTIONNAIRE, values, welfare=False, on=TODAY)]
    child = [q.id for q in shown_questions(SMALL_QUESTIONNAIRE, values, welfare=True, on=TODAY)]
    owes = values.get("owes_money") is True
    libya = "LBY" in values.get("countries_transited", [])
    assert ("owed_to_whom" in adult) == owes
    assert ("nrm_consent" in adult) == (owes or libya)
    assert "nrm_consent" not in child
    assert "convicted" in adult
    assert "convicted" not in child


@settings(max_examples=300, deadline=None)
@given(questionnaire_and_answers())
def test_only_vulnerability_codes_are_raised_and_each_by_its_question(drawn):
    questionnaire, values, _welfare = drawn
    raised = raised_categories(questionnaire, values, TODAY)
    assert set(raised) <= set(VULNERABILITY_CODES)
    for category, idents in raised.items():
        assert idents
        for ident in idents:
            question_ = questionnaire.questions[ident]
            assert question_.raises is not None
            assert question_.raises.category == category
            assert question_.raises.fires(values[ident], TODAY)


@settings(max_examples=300, deadline=None)
@given(questionnaire_and_answers())
def test_the_welfare_variant_never_asks_what_it_skips(drawn):
    questionnaire, values, _welfare = drawn
    skipped_sections = {part.id for part in questionnaire.sections if not part.welfare}
    shown = shown_questions(questionnaire, values, welfare=True, on=TODAY)
    for question_ in shown:
        assert question_.welfare, question_.id
        assert question_.section not in skipped_sections, question_.id
    assert not {part.id for part in questionnaire.sections_for(welfare=True)} & skipped_sections


def test_the_small_welfare_variant_skips_its_section_and_question():
    child = [q.id for q in SMALL_QUESTIONNAIRE.asked(welfare=True)]
    adult = [q.id for q in SMALL_QUESTIONNAIRE.asked(welfare=False)]
    assert "nrm_consent" not in child
    assert "convicted" not in child
    assert {"nrm_consent", "convicted"} <= set(adult)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"owes_money": True}, {"trafficking": ["owes_money"]}),
        ({"owes_money": False}, {}),
        ({"countries_transited": ["TCD", "LBY"]}, {"trafficking": ["countries_transited"]}),
        ({"countries_transited": ["TCD", "FRA"]}, {}),
        ({"date_of_birth": "1956-06-01"}, {"older_person": ["date_of_birth"]}),
        ({"date_of_birth": "1956-06-02"}, {}),  # 69 on TODAY: one day short of 70
        (
            {"owes_money": True, "countries_transited": ["LBY"]},
            {"trafficking": ["countries_transited", "owes_money"]},
        ),
    ],
)
def test_the_indicators_answers_raise(values, expected):
    assert raised_categories(SMALL_QUESTIONNAIRE, values, TODAY) == expected
