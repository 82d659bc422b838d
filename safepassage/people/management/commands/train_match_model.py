"""Train the identity-matching model on a file of records, without labels.

    manage.py train_match_model --input RECORDS.csv [--output MODEL.json]

RECORDS.csv is the interchange CSV. Splink estimates how much each level of each comparison says
about two records being one person: u by sampling random pairs, m by expectation maximisation.
The model shipped in the repository was trained on generated data (see
docs/identity-matching.md); a deployment should retrain it on its own register and review the
figures of benchmarks/identity_refugee.py before using it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safepassage.people.management.commands.match_identities import BAD_INPUT, read_interchange
from safepassage.people.matching import batch, model

# Fewer records than this cannot show EM enough pairs of the same person to learn from.
FEWEST_RECORDS = 500


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="the interchange CSV to learn from")
        parser.add_argument("--output", default=str(model.MODEL_PATH), help="where to save it")
        parser.add_argument("--seed", type=int, default=1, help="for sampling random pairs")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = read_interchange(Path(options["input"]))
        records = [row.record for row in rows if row.record is not None]
        skipped = len(rows) - len(records)
        if len(records) < FEWEST_RECORDS:
            raise CommandError(
                f"{len(records)} usable records; at least {FEWEST_RECORDS} are needed to train",
                returncode=BAD_INPUT,
            )
        trained = batch.train(records, seed=options["seed"])
        batch.save(trained, Path(options["output"]))
        self.stdout.write(
            f"Trained on {len(records)} records ({skipped} bad row(s) left out); "
            f"model saved to {options['output']}."
        )
