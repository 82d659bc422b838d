"""The scheme's figures for its managers: how long an application waits from being sent to being
decided, by the applicant's nationality and by the month of the decision.

Median and 90th percentile in days (to one decimal place), with the number of decisions behind
each. A group of fewer than ``SMALL_GROUP`` decisions shows its count but not its times: a median
of two decisions says little, and could point to the people behind it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from safepassage.applications.models import Decision, DecisionOutcome, DecisionState
from safepassage.core.actors import Actor
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm

SMALL_GROUP = 5
SECONDS_PER_DAY = 86_400


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (the 'type 7' of R and numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class WaitingRow:
    key: str  # a nationality code or "YYYY-MM"
    decided: int
    granted: int
    refused: int
    median_days: float | None  # None for a small group
    p90_days: float | None


@dataclass(frozen=True)
class TimeToDecision:
    since: date | None
    overall: WaitingRow
    by_nationality: list[WaitingRow]
    by_month: list[WaitingRow]


def _row(key: str, samples: list[tuple[float, str]]) -> WaitingRow:
    days = [sample[0] for sample in samples]
    small = len(days) < SMALL_GROUP
    return WaitingRow(
        key=key,
        decided=len(days),
        granted=sum(1 for _days, outcome in samples if outcome == DecisionOutcome.GRANT),
        refused=sum(1 for _days, outcome in samples if outcome == DecisionOutcome.REFUSE),
        median_days=None if small else round(percentile(days, 0.5), 1),
        p90_days=None if small else round(percentile(days, 0.9), 1),
    )


def _grouped(groups: dict[str, list[tuple[float, str]]]) -> Iterable[WaitingRow]:
    return (_row(key, samples) for key, samples in groups.items())


def time_to_decision(*, actor: Actor, since: date | None = None) -> TimeToDecision:
    require_permission(actor, Perm.VIEW_VISA_FIGURES)
    decisions = Decision.objects.filter(
        state=DecisionState.ISSUED, application__submitted_at__isnull=False
    )
    if since is not None:
        decisions = decisions.filter(issued_at__date__gte=since)
    by_nationality: dict[str, list[tuple[float, str]]] = defaultdict(list)
    by_month: dict[str, list[tuple[float, str]]] = defaultdict(list)
    everything: list[tuple[float, str]] = []
    rows = decisions.values_list(
        "issued_at", "outcome", "application__submitted_at", "application__nationality"
    ).iterator(chunk_size=5000)
    for issued_at, outcome, submitted_at, nationality in rows:
        if issued_at is None or submitted_at is None:  # an issued decision always has both
            continue
        sample = ((issued_at - submitted_at).total_seconds() / SECONDS_PER_DAY, outcome)
        everything.append(sample)
        by_nationality[nationality or ""].append(sample)
        by_month[timezone.localtime(issued_at).strftime("%Y-%m")].append(sample)
    return TimeToDecision(
        since=since,
        overall=_row("", everything),
        by_nationality=sorted(_grouped(by_nationality), key=lambda row: (-row.decided, row.key)),
        by_month=sorted(_grouped(by_month), key=lambda row: row.key),
    )
