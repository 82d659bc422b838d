"""Asylum case references: the visa scheme's readable, check-charactered references
(applications.references) with their own prefix, so the two are never confused."""

from __future__ import annotations

from safepassage.applications.references import new_reference

PREFIX = "AC"


def new_case_reference() -> str:
    """Like ``AC-7KQ-M4X-9TB``."""
    return f"{PREFIX}-{new_reference().split('-', 1)[1]}"
