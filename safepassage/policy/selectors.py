"""Reading the rule pack and stored evaluations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from safepassage.core.actors import Actor
from safepassage.core.errors import NotFound
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.policy.engine import Rule
from safepassage.policy.models import PolicyEvaluation, PolicyOverride
from safepassage.policy.packs import get_pack


@dataclass(frozen=True)
class RuleRow:
    rule: Rule
    in_force: bool

    @property
    def actions(self) -> list[str]:
        return sorted(self.rule.actions)


def rule_list(*, action: str = "", search: str = "", on: date | None = None) -> list[RuleRow]:
    """Every version of every rule, as a reference any member of staff may read."""
    pack = get_pack()
    today = on or timezone.localdate()
    words = search.lower().split()
    rows = []
    for rule in pack.rules:
        if action and action not in rule.actions:
            continue
        text = " ".join(
            [
                rule.id,
                str(rule.title),
                str(rule.explanation),
                str(rule.citation),
                " ".join(rule.actions),
            ]
        ).lower()
        if words and not all(word in text for word in words):
            continue
        rows.append(RuleRow(rule=rule, in_force=rule.in_force(today)))
    return rows


def evaluation_get(*, actor: Actor, evaluation_id: int) -> PolicyEvaluation:
    require_permission(actor, Perm.CHECK_ACTION)
    evaluation = PolicyEvaluation.objects.filter(pk=evaluation_id).first()
    if evaluation is None:
        raise NotFound()
    return evaluation


def overrides_for_review(*, actor: Actor) -> QuerySet[PolicyOverride]:
    """Every override awaits quality assurance (the quality app reviews them all)."""
    require_permission(actor, Perm.CHECK_ACTION)
    return PolicyOverride.objects.filter(qa_sample_required=True).select_related(
        "evaluation", "approved_by"
    )
