"""Asking the gate, storing what it said, and approving what it says needs approval.

A consequential service runs in ``gated_transaction()`` and calls ``policy_gate`` in it: a blocked
verdict raises ``PolicyBlocked``, which rolls the action back and keeps the refused evaluation;
any other verdict is stored with the action, and a ``needs_approval`` verdict goes to a senior,
whose ``policy_override`` is recorded, audited and always sampled for quality assurance.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, actor_label, human, staff_user
from safepassage.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import required_reason
from safepassage.policy import events
from safepassage.policy.engine import Outcome, UnknownAction, Verdict
from safepassage.policy.facts import FactsError, parse_facts
from safepassage.policy.models import PolicyEvaluation, PolicyOverride
from safepassage.policy.packs import get_pack

OVERRIDE_REASON_MINIMUM = 20


class PolicyBlocked(DomainError):
    """The gate blocked the action. ``evaluation`` holds the verdict and its citations."""

    code = "policy_blocked"
    http_status = 409
    default_message = _("The law or published policy does not allow this action now.")

    def __init__(self, evaluation: PolicyEvaluation, actor: Actor) -> None:
        self.evaluation = evaluation
        self.actor = actor
        super().__init__(extra={"verdict": evaluation.verdict})


def london_today() -> date:
    return timezone.localdate()


def policy_verdict(*, action: str, facts: dict[str, Any], on: date | None = None) -> Verdict:
    """The verdict for a what-if question; stores nothing. Bad facts raise ValidationFailed."""
    try:
        parsed = parse_facts(facts)
    except FactsError as error:
        raise ValidationFailed(str(error), field="facts") from error
    when = on or parsed.on or london_today()
    try:
        return get_pack().evaluate(action, parsed, when)
    except UnknownAction as error:
        raise ValidationFailed(str(error), field="action") from error


def policy_check(
    *, actor: Actor, action: str, facts: dict[str, Any], on: date | None = None
) -> Verdict:
    """A member of staff asks the gate what it would say (the *check an action* page, the API)."""
    require_permission(actor, Perm.CHECK_ACTION)
    return policy_verdict(action=action, facts=facts, on=on)


def _subject_ref(subject: models.Model | tuple[str, str]) -> tuple[str, str]:
    if isinstance(subject, models.Model):
        return subject._meta.label_lower, str(subject.pk)
    return subject


def _evaluation(
    *,
    actor: Actor,
    action: str,
    subject: models.Model | tuple[str, str],
    facts: dict[str, Any],
    on: date | None,
) -> PolicyEvaluation:
    """An evaluation, not yet saved."""
    if actor is None or not actor.is_active:
        raise PermissionDenied()
    # The stored record is in the service's own language, whoever asked and in whatever language.
    with translation.override(settings.LANGUAGE_CODE):
        verdict = policy_verdict(action=action, facts=facts, on=on)
        document = verdict.as_dict()
    subject_type, subject_id = _subject_ref(subject)
    return PolicyEvaluation(
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        on=verdict.on,
        pack=get_pack().label,
        facts=facts,
        verdict=document,
        outcome=verdict.outcome.value,
        evaluated_by=staff_user(actor),
        evaluated_by_label=actor_label(actor),
    )


def _store(evaluation: PolicyEvaluation, actor: Actor) -> PolicyEvaluation:
    with transaction.atomic():
        evaluation.save()
        audit_append(
            actor=actor,
            event=events.BLOCKED if evaluation.outcome == Outcome.BLOCKED else events.EVALUATED,
            target=evaluation,
            payload={
                "action": evaluation.action,
                "subject": f"{evaluation.subject_type}:{evaluation.subject_id}",
                "outcome": evaluation.outcome,
                "rules": [finding["rule"] for finding in evaluation.verdict["findings"]],
                "pack": evaluation.pack,
            },
        )
    return evaluation


def policy_evaluate(
    *,
    actor: Actor,
    action: str,
    subject: models.Model | tuple[str, str],
    facts: dict[str, Any],
    on: date | None = None,
) -> PolicyEvaluation:
    """Evaluate an action on a subject and keep the facts, the pack and the verdict with it,
    whatever the outcome. Called by the service that performs (or proposes) the action, which
    has already checked its own permission."""
    evaluation = _evaluation(actor=actor, action=action, subject=subject, facts=facts, on=on)
    return _store(evaluation, actor)


def policy_gate(
    *,
    actor: Actor,
    action: str,
    subject: models.Model | tuple[str, str],
    facts: dict[str, Any],
    on: date | None = None,
) -> PolicyEvaluation:
    """Evaluate inside a consequential service's ``gated_transaction``, refusing a block.

    An allowed or needs-approval evaluation is stored in the caller's transaction. A blocked one
    raises PolicyBlocked; ``gated_transaction`` stores it after the action has rolled back, so the
    refused attempt is on record too.
    """
    evaluation = _evaluation(actor=actor, action=action, subject=subject, facts=facts, on=on)
    if evaluation.outcome == Outcome.BLOCKED:
        raise PolicyBlocked(evaluation, actor)
    return _store(evaluation, actor)


@contextmanager
def gated_transaction() -> Iterator[None]:
    """The transaction of a consequential service: all of it, or, if the gate blocks, none of it
    but the record that the gate blocked it."""
    try:
        with transaction.atomic():
            yield
    except PolicyBlocked as blocked:
        _store(blocked.evaluation, blocked.actor)
        raise


def policy_override(*, actor: Actor, evaluation: PolicyEvaluation, reason: str) -> PolicyOverride:
    """A senior approves an action the gate said needs approval, with a written reason.

    Only a ``needs_approval`` verdict can be overridden (a block never), only by someone holding
    every role its findings ask for, never by the person who asked, and the reason is at least
    20 characters. The override is audited and always sampled for quality assurance.
    """
    require_permission(actor, Perm.OVERRIDE_POLICY)
    approver = human(actor, _("An approval is a person's decision."))
    reason = required_reason(
        reason,
        _("Give the reason for your approval in at least 20 characters"),
        minimum=OVERRIDE_REASON_MINIMUM,
    )
    with transaction.atomic():
        evaluation = PolicyEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if evaluation.outcome == Outcome.BLOCKED:
            raise Conflict(_("A blocked action cannot be approved. The law does not allow it."))
        if evaluation.outcome != Outcome.NEEDS_APPROVAL:
            raise Conflict(_("This action does not need approval."))
        if PolicyOverride.objects.filter(evaluation=evaluation).exists():
            raise Conflict(_("This action has already been approved."))
        if evaluation.evaluated_by_id is not None and evaluation.evaluated_by_id == actor.pk:
            raise PermissionDenied(_("Someone other than the person who asked must approve it."))
        needed = needed_approver_roles(evaluation)
        held = set(getattr(actor, "role_codes", []))
        if not needed <= held:
            raise PermissionDenied(
                _("Only a %(roles)s can approve this.") % {"roles": ", ".join(sorted(needed))}
            )
        override = PolicyOverride.objects.create(
            evaluation=evaluation,
            approved_by=approver,
            approver_role=sorted(needed)[0],
            reason=reason,
        )
        audit_append(
            actor=actor,
            event=events.OVERRIDDEN,
            target=evaluation,
            payload={
                "action": evaluation.action,
                "subject": f"{evaluation.subject_type}:{evaluation.subject_id}",
                "reason": reason,
                "qa_sample_required": True,
            },
        )
    return override


def needed_approver_roles(evaluation: PolicyEvaluation) -> set[str]:
    """The roles the outstanding needs_approval findings of a stored verdict ask for."""
    pack = get_pack()
    roles: set[str] = set()
    for finding in evaluation.verdict["findings"]:
        if finding["effect"] != "needs_approval":
            continue
        for rule in pack.rules:
            if rule.id == finding["rule"] and rule.approver_role:
                roles.add(rule.approver_role)
    return roles
