"""The Splink model: comparisons designed for refugee registration data, and how records are
blocked into candidate pairs.

Every comparison works on the normalised columns of ``features.py``. Its levels go from the
strongest agreement to none; Splink learns how much each level says (its m and u probabilities)
from the data itself, by expectation maximisation, and the trained model is kept as JSON in
``model.json`` beside this file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator

from safepassage.people.matching.features import CONFUSABLE_KEYS
from safepassage.people.matching.labels import gettext_noop

MODEL_PATH = Path(__file__).with_name("model.json")
# Pairs at or above this probability are the same person, for clustering. Chosen where pairwise
# F1 peaks on generated refugee-style data (benchmarks/identity_refugee.py).
MATCH_THRESHOLD = 0.99


def _either_box(this: str, other: str, condition: str) -> str:
    """``condition`` on this part of the name or, where the given and family names were swapped,
    on the crossed parts. ``condition`` names its columns as ``{l}_keys``, ``{r}_folded`` ..."""
    straight = condition.format(l=f"{this}", r=f"{this}", side_l="_l", side_r="_r")
    crossed = condition.format(l=f"{this}", r=f"{other}", side_l="_l", side_r="_r")
    back = condition.format(l=f"{other}", r=f"{this}", side_l="_l", side_r="_r")
    return f"({straight}) OR (({crossed}) AND ({back}))"


def _part(
    this: str, other: str, label: str, different_names_m: float | None = None
) -> cl.CustomComparison:
    """Given names, or the family name: the spelling, the sound, a typo, in either box."""
    return cl.CustomComparison(
        output_column_name=this,
        comparison_description=f"{label}, in any script and spelling, in either box",
        comparison_levels=[
            cll.CustomLevel(
                f"{this}_folded_l IS NULL OR {this}_folded_r IS NULL", "Not recorded"
            ).configure(is_null_level=True),
            cll.CustomLevel(
                _either_box(this, other, "{l}_folded{side_l} = {r}_folded{side_r}"),
                gettext_noop("Same spelling"),
            ),
            cll.CustomLevel(
                _either_box(
                    this,
                    other,
                    "list_has_any({l}_keys{side_l}, {r}_keys{side_r}) AND "
                    "jaro_winkler_similarity({l}_folded{side_l}, {r}_folded{side_r}) >= 0.8",
                ),
                gettext_noop("Sound alike, spelt alike"),
            ),
            cll.CustomLevel(
                _either_box(this, other, "list_has_any({l}_keys{side_l}, {r}_keys{side_r})"),
                gettext_noop("Sound alike"),
            ),
            cll.CustomLevel(
                _either_box(
                    this,
                    other,
                    "jaro_winkler_similarity({l}_folded{side_l}, {r}_folded{side_r}) >= 0.88",
                ),
                gettext_noop("A small difference in spelling"),
            ),
            *(
                [
                    # One name moved to the other box and the other lost or replaced. Only
                    # the family name comparison asks, so that one fact counts once.
                    cll.CustomLevel(
                        f"{this}_folded_l = {other}_folded_r OR {other}_folded_l = {this}_folded_r",
                        gettext_noop("In the other box"),
                    )
                ]
                if this == "family"
                else []
            ),
            cll.CustomLevel(
                _either_box(this, other, "list_has_any({l}_tokens{side_l}, {r}_tokens{side_r})"),
                gettext_noop("A word in common"),
            ),
            cll.ElseLevel().configure(
                label_for_charts=gettext_noop("Nothing in common"),
                m_probability=different_names_m,
                fix_m_probability=different_names_m is not None,
            ),
        ],
    )


# Brothers and sisters travel and register together: they share a family name, a place of birth,
# a nationality and, for twins or families given one placeholder date, a date of birth. What
# tells them apart is the given name, so given names that have nothing in common are held to be
# near-proof of two people. Left to itself, expectation maximisation learns the opposite from the
# siblings it has mistaken for one person, so the chance is fixed, not learned: one match in a
# million has given names with nothing in common. Data whose duplicates often have a wholly
# different given name (FEBRL's generator replaces it) are trained without this prior.
SIBLINGS_PRIOR_M = 0.000001
GIVEN_NAMES = _part("given", "family", "Given names", different_names_m=SIBLINGS_PRIOR_M)
GIVEN_NAMES_LEARNT = _part("given", "family", "Given names")
FAMILY_NAME = _part("family", "given", "Family name")

DATE_OF_BIRTH = cl.CustomComparison(
    output_column_name="date_of_birth",
    comparison_description="Dates of birth, which may be partial or 1 January placeholders",
    comparison_levels=[
        cll.CustomLevel("dob_year_l IS NULL OR dob_year_r IS NULL", "No date").configure(
            is_null_level=True
        ),
        cll.CustomLevel(
            "dob_day_l IS NOT NULL AND dob_day_r IS NOT NULL AND dob_year_l = dob_year_r "
            "AND dob_month_l = dob_month_r AND dob_day_l = dob_day_r",
            gettext_noop("The same date"),
        ),
        cll.CustomLevel(
            "dob_day_l IS NOT NULL AND dob_day_r IS NOT NULL AND dob_year_l = dob_year_r "
            "AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
            gettext_noop("Day and month swapped"),
        ),
        # A year written wrong, or an age shifted, keeps the day and month.
        cll.CustomLevel(
            "dob_day_l IS NOT NULL AND dob_day_r IS NOT NULL AND dob_month_l = dob_month_r "
            "AND dob_day_l = dob_day_r AND abs(dob_year_l - dob_year_r) <= 2",
            gettext_noop("Same day and month, a year or two apart"),
        ),
        cll.CustomLevel(
            "dob_month_l IS NOT NULL AND dob_month_r IS NOT NULL AND dob_year_l = dob_year_r "
            "AND dob_month_l = dob_month_r",
            gettext_noop("The same year and month"),
        ),
        cll.CustomLevel("dob_year_l = dob_year_r", gettext_noop("The same year")),
        cll.CustomLevel("abs(dob_year_l - dob_year_r) = 1", gettext_noop("A year apart")),
        cll.CustomLevel("abs(dob_year_l - dob_year_r) = 2", gettext_noop("Two years apart")),
        # Ages in a dispute (a child said to be an adult) are often a few years apart; ten
        # years apart is rarely one person, even with a common name.
        cll.CustomLevel(
            "abs(dob_year_l - dob_year_r) <= 5", gettext_noop("Three to five years apart")
        ),
        cll.ElseLevel().configure(label_for_charts=gettext_noop("More than five years apart")),
    ],
)

SAME = gettext_noop("The same")
DIFFERENT = gettext_noop("Different")

SEX = cl.CustomComparison(
    output_column_name="sex",
    comparison_levels=[
        cll.NullLevel("sex"),
        cll.ExactMatchLevel("sex").configure(label_for_charts=SAME),
        cll.ElseLevel().configure(label_for_charts=DIFFERENT),
    ],
)

NATIONALITY = cl.CustomComparison(
    output_column_name="nationality",
    comparison_description="Nationality (ISO 3166 alpha-3)",
    comparison_levels=[
        cll.NullLevel("nationality"),
        cll.ExactMatchLevel("nationality").configure(label_for_charts=SAME),
        cll.CustomLevel(
            f"list_contains({CONFUSABLE_KEYS!r}, least(nationality_l, nationality_r) || '|' || "
            "greatest(nationality_l, nationality_r))",
            gettext_noop("Often recorded for one another"),
        ),
        cll.ElseLevel().configure(label_for_charts=DIFFERENT),
    ],
)

PLACE_OF_BIRTH = cl.CustomComparison(
    output_column_name="place_of_birth",
    comparison_levels=[
        cll.CustomLevel("place_keys_l IS NULL OR place_keys_r IS NULL", "No place").configure(
            is_null_level=True
        ),
        cll.CustomLevel("list_has_any(place_keys_l, place_keys_r)", gettext_noop("The same place")),
        cll.CustomLevel(
            "jaro_winkler_similarity(place_folded_l, place_folded_r) >= 0.85",
            gettext_noop("A similar spelling"),
        ),
        cll.ElseLevel().configure(label_for_charts=DIFFERENT),
    ],
)

DOCUMENT = cl.CustomComparison(
    output_column_name="document",
    comparison_levels=[
        cll.NullLevel("document"),
        cll.ExactMatchLevel("document").configure(label_for_charts=gettext_noop("The same number")),
        cll.DamerauLevenshteinLevel("document", 1).configure(
            label_for_charts=gettext_noop("One character different")
        ),
        cll.ElseLevel().configure(label_for_charts=DIFFERENT),
    ],
)

# Blocking: each rule makes candidate pairs; together they must reach the duplicates that
# refugee data produce, so none of them needs a name to be spelt the same way twice, nor the
# same year of birth. Every rule joins on something rare enough that a million records give
# a few hundred million pairs at most (benchmarks/identity_scale.py): a common name is only
# ever joined with a year, a place or a date beside it.
NEAR_YEAR = "(abs(l.dob_year - r.dob_year) <= 2 OR l.dob_year IS NULL OR r.dob_year IS NULL)"


def _exploded(condition: str, *arrays: str) -> dict[str, Any]:
    return {"blocking_rule": condition, "arrays_to_explode": list(arrays)}


BLOCKING_RULES: list[BlockingRuleCreator | dict[str, Any]] = [
    # A document number, with two characters swapped or not.
    block_on("document_anagram"),
    # The names, in any spelling and either box, born within two years.
    _exploded(
        f"l.given_keys = r.given_keys AND l.family_keys = r.family_keys AND {NEAR_YEAR}",
        "given_keys",
        "family_keys",
    ),
    _exploded(
        f"l.given_keys = r.family_keys AND l.family_keys = r.given_keys AND {NEAR_YEAR}",
        "given_keys",
        "family_keys",
    ),
    # The whole name, however it was split into given and family names.
    block_on("whole_keys", "dob_year", arrays_to_explode=["whole_keys"]),
    # One part of the name mistyped: the other, with the place of birth or date of birth.
    _exploded(
        "l.given_keys = r.given_keys AND l.place_keys = r.place_keys "
        f"AND l.nationality = r.nationality AND {NEAR_YEAR}",
        "given_keys",
        "place_keys",
    ),
    _exploded(
        "l.family_keys = r.family_keys AND l.place_keys = r.place_keys "
        f"AND l.nationality = r.nationality AND {NEAR_YEAR}",
        "family_keys",
        "place_keys",
    ),
    block_on("family_keys", "dob_year", "dob_month", arrays_to_explode=["family_keys"]),
    block_on(
        "family_keys", "dob_month", "dob_day", "nationality", arrays_to_explode=["family_keys"]
    ),
    block_on("given_keys", "dob_year", "dob_month", arrays_to_explode=["given_keys"]),
    # Both names transliterated past recognition: the date of birth and the rest.
    block_on("dob_year", "dob_month", "dob_day", "nationality", "sex"),
]


@cache
def _blocking_rules_as_dicts() -> tuple[dict[str, Any], ...]:
    return tuple(
        rule if isinstance(rule, dict) else rule.get_blocking_rule("duckdb").as_dict()
        for rule in BLOCKING_RULES
    )


def blocking_rules_as_dicts() -> list[dict[str, Any]]:
    """The blocking rules in the form a saved model holds them."""
    return [dict(rule) for rule in _blocking_rules_as_dicts()]


def settings(
    blocking_rules: list[BlockingRuleCreator | dict[str, Any]] | None = None,
    *,
    siblings_prior: bool = True,
) -> SettingsCreator:
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            GIVEN_NAMES if siblings_prior else GIVEN_NAMES_LEARNT,
            FAMILY_NAME,
            DATE_OF_BIRTH,
            SEX,
            NATIONALITY,
            PLACE_OF_BIRTH,
            DOCUMENT,
        ],
        blocking_rules_to_generate_predictions=list(blocking_rules or BLOCKING_RULES),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )
