"""Training the model and clustering many records at once, with Splink on DuckDB in process."""

from __future__ import annotations

import json
import logging
import math
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from splink import DuckDBAPI, Linker, block_on

from safepassage.people.matching import model
from safepassage.people.matching.features import FEATURE_COLUMNS, IdentityRecord, features

Progress = Callable[[str], None]
SMALLEST_POPULATION = 1_000
RECORDS_PER_CHUNK = 200_000


def frame(
    records: Sequence[IdentityRecord], progress: Callable[[int], None] | None = None
) -> pd.DataFrame:
    rows = []
    for index, record in enumerate(records):
        rows.append(features(record))
        if progress is not None and index % 10_000 == 9_999:
            progress(10_000)
    if progress is not None:
        progress(len(records) % 10_000)
    return pd.DataFrame(rows, columns=list(FEATURE_COLUMNS))


def _linker(
    data: pd.DataFrame,
    settings: Any,
    *,
    memory_limit: str | None = None,
    scratch: str | None = None,
) -> Linker:
    api = DuckDBAPI()
    if memory_limit:
        api.duckdb_con.execute(f"SET memory_limit = '{memory_limit}'")
    if scratch:
        # An in-memory database spills to disk only when told where: without this, a million
        # records' candidate pairs run out of memory instead.
        api.duckdb_con.execute(f"SET temp_directory = '{scratch}'")
        api.duckdb_con.execute("SET preserve_insertion_order = false")
    table = api.register(data, table_name="identities")
    return Linker(table, settings, log_level=logging.ERROR)


def train(
    records: Sequence[IdentityRecord], *, seed: int = 1, siblings_prior: bool = True
) -> dict[str, Any]:
    """Estimate the model's parameters from the records themselves (no labels): the chance two
    random records match, u by random sampling, m by expectation maximisation, each comparison
    trained on pairs blocked by the others."""
    linker = _linker(frame(records), model.settings(siblings_prior=siblings_prior))
    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("document"), block_on("given_key", "family_key", "dob_year")],
        recall=0.7,
    )
    training.estimate_u_using_random_sampling(max_pairs=5e6, seed=seed)
    training.estimate_parameters_using_expectation_maximisation(
        block_on("dob_year", "dob_month", "dob_day")
    )
    # Blocked on the columns the name comparisons use, so that Splink leaves them out of this
    # session (it trains only what the blocking rule does not touch).
    training.estimate_parameters_using_expectation_maximisation(
        block_on("given_folded", "family_folded")
    )
    return {"training_records": len(records), "splink": linker.misc.save_model_to_json()}


def save(trained: dict[str, Any], path: Path = model.MODEL_PATH) -> None:
    path.write_text(json.dumps(trained, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load(path: Path = model.MODEL_PATH) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def for_population(trained: dict[str, Any], records: int) -> dict[str, Any]:
    """The Splink model for a population of ``records`` records.

    The chance that two records picked at random are the same person falls as the population
    grows: a person has about as many other records among a thousand as among a million. The
    model learnt that chance on its training data, so it is rescaled to the population it is
    used on. Populations under a thousand are treated as a thousand, so that in a nearly empty
    register weak agreement does not look like a match.
    """
    splink = dict(trained["splink"])
    # The blocking rules are the code's, not those the model was saved with: they decide only
    # which pairs are scored, not how, and are tuned without retraining.
    splink["blocking_rules_to_generate_predictions"] = model.blocking_rules_as_dicts()
    learnt = float(splink["probability_two_random_records_match"])
    matches_per_record = learnt * (int(trained["training_records"]) - 1)
    splink["probability_two_random_records_match"] = matches_per_record / (
        max(records, SMALLEST_POPULATION) - 1
    )
    return splink


def predict_pairs(
    records: Sequence[IdentityRecord],
    *,
    threshold: float = model.MATCH_THRESHOLD,
    trained: dict[str, Any] | None = None,
) -> pd.DataFrame:
    linker = _linker(frame(records), for_population(trained or load(), len(records)))
    return linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()


def cluster(
    records: Sequence[IdentityRecord],
    *,
    threshold: float = model.MATCH_THRESHOLD,
    trained: dict[str, Any] | None = None,
    memory_limit: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, str]:
    """record_id -> cluster_id for every record; a cluster is named by its first record."""
    data = frame(records, progress)
    # Records are numbered in input order for the database: integers join and group faster
    # and smaller than the file's ids, and the smallest number in a cluster is its first record.
    data["unique_id"] = range(len(records))
    splink = for_population(trained or load(), len(records))
    # Clustering needs only each pair's probability; carrying every column through a
    # hundred million pairs would cost gigabytes.
    splink["retain_intermediate_calculation_columns"] = False
    splink["retain_matching_columns"] = False
    with tempfile.TemporaryDirectory(prefix="safepassage-matching-") as scratch:
        linker = _linker(data, splink, memory_limit=memory_limit, scratch=scratch)
        del data
        # A few hundred thousand records' pairs at a time, so that memory stays flat.
        predictions = linker.inference.predict(
            threshold_match_probability=threshold,
            num_chunks_left=math.ceil(len(records) / RECORDS_PER_CHUNK) or 1,
            num_chunks_right=1,
        )
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        rows = (
            clusters.as_duckdbpyrelation()
            .aggregate("cluster_id, min(unique_id) AS first", "cluster_id")
            .join(clusters.as_duckdbpyrelation().select("unique_id, cluster_id"), "cluster_id")
            .select("unique_id, first")
            .fetchall()
        )
    first_of = list(range(len(records)))
    for position, first in rows:
        first_of[int(position)] = int(first)
    return {
        record.record_id: records[first_of[index]].record_id for index, record in enumerate(records)
    }
