"""Shared set-up for benchmarks: Django and a throwaway database (latency figures: stats.py).

Every benchmark runs against a fresh test database (SQLite by default; PostgreSQL when
DATABASE_URL is set), never against your working data, and prints its figures.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


@contextmanager
def throwaway_database() -> Iterator[str]:
    """A migrated, empty test database for the length of the benchmark."""
    config = setup_databases(verbosity=0, interactive=False)
    try:
        yield connection.vendor
    finally:
        teardown_databases(config, verbosity=0)
