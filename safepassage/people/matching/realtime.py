"""Scoring one record against a few hundred candidates, with the trained model, at registration.

The same Splink model and SQL as the batch, run by DuckDB in process on just these rows, so
registration and batch clustering can never disagree about what a match is.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import pandas as pd
from splink import DuckDBAPI
from splink.internals.realtime import compare_records

from safepassage.people.matching.batch import for_population, load
from safepassage.people.matching.features import FEATURE_COLUMNS, IdentityRecord, features
from safepassage.people.matching.labels import gettext_noop

NOT_RECORDED = gettext_noop("Not recorded on one or both")
COMPARISONS = (
    "given",
    "family",
    "date_of_birth",
    "sex",
    "nationality",
    "place_of_birth",
    "document",
)


@dataclass(frozen=True)
class FieldAgreement:
    """How one field compared, and how much that moved the score (in bits of evidence)."""

    comparison: str
    level: str
    weight: float


@dataclass(frozen=True)
class Score:
    candidate_id: str
    probability: float
    match_weight: float
    fields: tuple[FieldAgreement, ...]


_per_thread = threading.local()


def _database() -> DuckDBAPI:
    """This thread's in-process DuckDB: opening one costs more than scoring a pool."""
    database = getattr(_per_thread, "database", None)
    if database is None:
        database = _per_thread.database = DuckDBAPI()
    return database


@cache
def _trained() -> dict[str, Any]:
    return load()


def _prior_weight(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def _probability(weight: float) -> float:
    return 1.0 if weight > 1000 else 2**weight / (1 + 2**weight)


@cache
def _level_labels() -> dict[tuple[str, int], str]:
    labels = {}
    for comparison in _trained()["splink"]["comparisons"]:
        name = comparison["output_column_name"]
        levels = comparison["comparison_levels"]
        # Splink numbers levels from the most specific (highest) down to 0; the null level is -1.
        ranked = [level for level in levels if not level.get("is_null_level")]
        for position, level in enumerate(ranked):
            labels[(name, len(ranked) - 1 - position)] = level.get("label_for_charts", "")
        labels[(name, -1)] = NOT_RECORDED
    return labels


def _frame(records: list[IdentityRecord]) -> pd.DataFrame:
    return pd.DataFrame([features(record) for record in records], columns=list(FEATURE_COLUMNS))


@lru_cache(maxsize=64)
def _prior_shift(population: int) -> float:
    """The SQL is compiled once, with the prior the model was trained with; the weight is moved
    to this population's prior afterwards rather than compiling new SQL for every size."""
    trained = _trained()
    return _prior_weight(
        for_population(trained, population)["probability_two_random_records_match"]
    ) - _prior_weight(trained["splink"]["probability_two_random_records_match"])


def score(
    subject: IdentityRecord,
    candidates: list[IdentityRecord],
    *,
    population: int,
    minimum_probability: float = 0.0,
) -> list[Score]:
    """The subject against every candidate, best first, for a register of ``population``
    identities (the chance of a match between two random records depends on it). Candidates
    below ``minimum_probability`` are left out before their evidence is written out."""
    if not candidates:
        return []
    splink = _trained()["splink"]
    prior_shift = _prior_shift(population)
    result = compare_records(
        _frame([subject]),
        _frame(candidates),
        splink,
        _database(),
        sql_cache_key="people.matching.realtime",
    ).as_pandas_dataframe()
    labels = _level_labels()
    scores = []
    for row in result.to_dict("records"):
        match_weight = float(row["match_weight"]) + prior_shift
        probability = _probability(match_weight)
        if probability < minimum_probability:
            continue
        fields = []
        for name in COMPARISONS:
            gamma = int(row.get(f"gamma_{name}", -1))
            weight = row.get(f"mw_{name}")
            fields.append(
                FieldAgreement(
                    comparison=name,
                    level=labels.get((name, gamma), ""),
                    weight=0.0 if weight is None or math.isnan(weight) else round(weight, 2),
                )
            )
        scores.append(
            Score(
                candidate_id=str(row["unique_id_r"]),
                probability=probability,
                match_weight=match_weight,
                fields=tuple(fields),
            )
        )
    return sorted(scores, key=lambda item: item.probability, reverse=True)
