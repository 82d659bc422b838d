"""The rules-as-code engine: rule packs are data plus small pure functions.

A rule governs some actions, is in force between two dates, cites the law it rests on, and has one
effect. Its check looks at the facts and either passes or raises a *concern*, naming any fact it
needed but did not have. The verdict is the strictest effect of the rules in force:
``block`` > ``needs_approval`` > allowed. A ``refer`` finding adds its referrals; a ``warn``
finding only informs. An approval from the role a ``needs_approval`` rule names satisfies it; an
approval never lifts a block.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext, ngettext

from safepassage.policy.facts import Facts


class Effect(StrEnum):
    BLOCK = "block"
    NEEDS_APPROVAL = "needs_approval"
    REFER = "refer"
    WARN = "warn"


class Outcome(StrEnum):
    ALLOWED = "allowed"
    NEEDS_APPROVAL = "needs_approval"
    BLOCKED = "blocked"


OUTCOME_ORDER = {Outcome.ALLOWED: 0, Outcome.NEEDS_APPROVAL: 1, Outcome.BLOCKED: 2}
# Findings are listed most serious first.
EFFECT_ORDER = {Effect.BLOCK: 0, Effect.NEEDS_APPROVAL: 1, Effect.REFER: 2, Effect.WARN: 3}


class UnknownAction(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Citation:
    instrument: str
    provision: str
    url: str

    def as_dict(self) -> dict[str, str]:
        return {"instrument": self.instrument, "provision": self.provision, "url": self.url}

    def __str__(self) -> str:
        return f"{self.instrument}, {self.provision}"


@dataclass(frozen=True, slots=True)
class Concern:
    """Why a rule did not simply pass. ``missing`` names facts it needed and did not have."""

    detail: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    facts: Facts
    on: date
    params: Mapping[str, Any]


Check = Callable[[Context], Concern | None]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: Any  # translatable (a lazy string)
    actions: frozenset[str]
    effect: Effect
    citation: Citation
    explanation: Any  # translatable (a lazy string)
    check: Check
    in_force_from: date
    in_force_to: date | None = None
    approver_role: str | None = None
    referrals: tuple[str, ...] = ()
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        if (self.effect == Effect.NEEDS_APPROVAL) != (self.approver_role is not None):
            raise ValueError(f"{self.id}: needs_approval rules, and only they, name an approver")
        if (self.effect == Effect.REFER) != bool(self.referrals):
            raise ValueError(f"{self.id}: refer rules, and only they, name their referrals")
        if self.in_force_to is not None and self.in_force_to < self.in_force_from:
            raise ValueError(f"{self.id}: in force to a date before it is in force from")

    def in_force(self, on: date) -> bool:
        return self.in_force_from <= on and (self.in_force_to is None or on <= self.in_force_to)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: Rule
    concern: Concern
    approved: bool

    def explanation(self) -> str:
        """The rule's explanation, what this check found, and what was missing, in the active
        language (stored verdicts are made in the service's own language)."""
        parts = [str(self.rule.explanation)]
        if self.concern.detail:
            detail = self.concern.detail.rstrip(".")
            parts.append(detail[0].upper() + detail[1:] + ".")
        missing = self.concern.missing
        if missing:
            parts.append(
                ngettext("Missing fact: %(facts)s.", "Missing facts: %(facts)s.", len(missing))
                % {"facts": ", ".join(missing)}
            )
        if self.approved:
            parts.append(
                gettext("Satisfied by the recorded approval of a %(role)s.")
                % {"role": self.rule.approver_role}
            )
        return " ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "effect": str(self.rule.effect),
            "citation": self.rule.citation.as_dict(),
            "explanation": self.explanation(),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    action: str
    on: date
    outcome: Outcome
    findings: tuple[Finding, ...]
    referrals_required: tuple[str, ...]
    basis: tuple[Rule, ...]

    @property
    def approver_roles(self) -> frozenset[str]:
        """The roles whose approval the outstanding needs_approval findings ask for."""
        return frozenset(
            finding.rule.approver_role
            for finding in self.findings
            if finding.rule.effect == Effect.NEEDS_APPROVAL
            and not finding.approved
            and finding.rule.approver_role
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "on": self.on.isoformat(),
            "outcome": str(self.outcome),
            "findings": [finding.as_dict() for finding in self.findings],
            "referrals_required": list(self.referrals_required),
            "basis": [
                {"rule": rule.id, "citation": rule.citation.as_dict()} for rule in self.basis
            ],
        }


@dataclass(frozen=True)
class RulePack:
    """A versioned set of rules. Two versions of one rule may coexist with different dates."""

    name: str
    version: str
    title: str
    actions: tuple[str, ...]
    rules: tuple[Rule, ...]
    _by_action: dict[str, tuple[Rule, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, list[Rule]] = {}
        for rule in self.rules:
            unknown = rule.actions - set(self.actions)
            if unknown:
                raise ValueError(f"{rule.id} governs unknown actions {sorted(unknown)}")
            by_id.setdefault(rule.id, []).append(rule)
        for rule_id, versions in by_id.items():
            versions.sort(key=lambda rule: rule.in_force_from)
            for earlier, later in itertools.pairwise(versions):
                if earlier.in_force_to is None or earlier.in_force_to >= later.in_force_from:
                    raise ValueError(f"two versions of {rule_id} are in force at once")
        object.__setattr__(
            self,
            "_by_action",
            {
                action: tuple(rule for rule in self.rules if action in rule.actions)
                for action in self.actions
            },
        )

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}"

    def rules_for(self, action: str, on: date) -> tuple[Rule, ...]:
        try:
            governing = self._by_action[action]
        except KeyError:
            raise UnknownAction(
                f"unknown action {action!r}; the actions are {', '.join(self.actions)}"
            ) from None
        return tuple(rule for rule in governing if rule.in_force(on))

    def evaluate(self, action: str, facts: Facts, on: date) -> Verdict:
        """The verdict for ``action`` on these facts, by the rules in force ``on`` that date."""
        basis = self.rules_for(action, on)
        findings: list[Finding] = []
        referrals: list[str] = []
        outcome = Outcome.ALLOWED
        approval = facts.approval
        for rule in basis:
            concern = rule.check(Context(facts=facts, on=on, params=rule.params))
            if concern is None:
                continue
            approved = (
                rule.effect == Effect.NEEDS_APPROVAL
                and approval is not None
                and approval.role == rule.approver_role
            )
            findings.append(Finding(rule=rule, concern=concern, approved=approved))
            if rule.effect == Effect.BLOCK:
                outcome = Outcome.BLOCKED
            elif rule.effect == Effect.NEEDS_APPROVAL and not approved:
                if outcome != Outcome.BLOCKED:
                    outcome = Outcome.NEEDS_APPROVAL
            elif rule.effect == Effect.REFER:
                referrals.extend(code for code in rule.referrals if code not in referrals)
        findings.sort(key=lambda finding: EFFECT_ORDER[finding.rule.effect])
        return Verdict(
            action=action,
            on=on,
            outcome=outcome,
            findings=tuple(findings),
            referrals_required=tuple(referrals),
            basis=basis,
        )


def stricter(first: Outcome, second: Outcome) -> bool:
    """Whether ``first`` is stricter than ``second``."""
    return OUTCOME_ORDER[first] > OUTCOME_ORDER[second]


def freeze(params: Mapping[str, Any] | None = None, **values: Any) -> Mapping[str, Any]:
    return MappingProxyType({**(params or {}), **values})


def rule_ids(rules: Iterable[Rule]) -> list[str]:
    return [rule.id for rule in rules]
