"""Stored evaluations, the gate inside a consequential service, and overrides."""

from __future__ import annotations

import pytest
from django.db import transaction

from safepassage.audit.models import AuditEvent
from safepassage.core.actors import SystemActor
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.models import Location
from safepassage.core.roles import Role
from safepassage.policy.models import PolicyEvaluation, PolicyOverride
from safepassage.policy.services import (
    PolicyBlocked,
    gated_transaction,
    policy_check,
    policy_evaluate,
    policy_gate,
    policy_override,
)
from tests.factories import LocationFactory
from tests.policy.support import CLEAR, merge

pytestmark = pytest.mark.django_db

AT_RISK = merge(
    CLEAR,
    {
        "on": "2026-11-23",
        "vulnerabilities": [{"category": "torture", "evidence_level": 2}],
        "detention": {"detained": True, "facility": "removal_centre", "hours": 2},
    },
)
CHILD = merge(AT_RISK, {"person": {"date_of_birth": "2012-01-01"}})
SUBJECT = ("cases.case", "42")


def test_evaluate_stores_the_facts_the_pack_and_the_verdict(make_user):
    officer = make_user(Role.DECISION_MAKER)
    evaluation = policy_evaluate(actor=officer, action="detain", subject=SUBJECT, facts=AT_RISK)
    evaluation.refresh_from_db()
    assert evaluation.facts == AT_RISK
    assert evaluation.pack == "uk@2026.11.1"
    assert evaluation.outcome == "needs_approval"
    assert evaluation.verdict["findings"][0]["rule"] == "adult-at-risk-detention"
    assert (evaluation.subject_type, evaluation.subject_id) == SUBJECT
    event = AuditEvent.objects.get(action="policy.evaluated")
    assert event.payload["outcome"] == "needs_approval"
    assert event.payload["rules"] == ["adult-at-risk-detention", "torture-rule-35"]


def test_bad_facts_are_refused_and_nothing_is_stored(make_user):
    officer = make_user(Role.DECISION_MAKER)
    with pytest.raises(ValidationFailed) as refused:
        policy_evaluate(actor=officer, action="detain", subject=SUBJECT, facts={"colour": 1})
    assert refused.value.field_errors() == {"facts": ["facts.colour is not a fact the gate knows"]}
    assert not PolicyEvaluation.objects.exists()


def test_a_check_needs_permission(make_user):
    with pytest.raises(PermissionDenied):
        policy_check(actor=make_user(Role.INTERPRETER), action="detain", facts=AT_RISK)
    assert policy_check(actor=make_user(Role.DECISION_MAKER), action="detain", facts=AT_RISK)


def _consequential_service(actor, location: Location, facts) -> PolicyEvaluation:
    """What a later issue's service looks like: the action and its evaluation, all or nothing."""
    with gated_transaction():
        evaluation = policy_gate(actor=actor, action="detain", subject=location, facts=facts)
        location.region = "changed by the action"
        location.save()
    return evaluation


def test_a_blocked_action_rolls_back_but_its_evaluation_is_kept(make_user):
    officer = make_user(Role.DECISION_MAKER)
    location = LocationFactory(region="Kent")
    with pytest.raises(PolicyBlocked) as blocked:
        _consequential_service(officer, location, CHILD)
    location.refresh_from_db()
    assert location.region == "Kent"  # the action did not happen
    kept = PolicyEvaluation.objects.get()
    assert kept.outcome == "blocked"
    assert blocked.value.evaluation.pk == kept.pk
    assert blocked.value.http_status == 409
    assert AuditEvent.objects.filter(action="policy.blocked").count() == 1


def test_an_allowed_action_and_its_evaluation_commit_together(make_user):
    officer = make_user(Role.DECISION_MAKER)
    location = LocationFactory(region="Kent")
    evaluation = _consequential_service(officer, location, AT_RISK)
    location.refresh_from_db()
    assert location.region == "changed by the action"
    assert evaluation.outcome == "needs_approval"


def _needs_approval(asker):
    return policy_evaluate(actor=asker, action="detain", subject=SUBJECT, facts=AT_RISK)


REASON = "Medical advice says detention for two hours will not harm him."


def test_a_senior_overrides_with_a_reason_audited_and_always_sampled(make_user):
    evaluation = _needs_approval(make_user(Role.DECISION_MAKER))
    senior = make_user(Role.SENIOR_CASEWORKER)
    override = policy_override(actor=senior, evaluation=evaluation, reason=REASON)
    assert override.approved_by == senior
    assert override.approver_role == "senior_caseworker"
    assert override.qa_sample_required is True
    event = AuditEvent.objects.get(action="policy.overridden")
    assert event.payload["reason"] == REASON


def test_the_reason_must_be_at_least_20_characters(make_user):
    evaluation = _needs_approval(make_user(Role.DECISION_MAKER))
    with pytest.raises(ValidationFailed) as refused:
        policy_override(
            actor=make_user(Role.SENIOR_CASEWORKER), evaluation=evaluation, reason="OK by me"
        )
    assert refused.value.field_errors() == {
        "reason": ["Give the reason for your approval in at least 20 characters"]
    }
    assert not PolicyOverride.objects.exists()


def test_only_the_approving_role_may_override(make_user):
    evaluation = _needs_approval(make_user(Role.DECISION_MAKER))
    with pytest.raises(PermissionDenied):
        policy_override(actor=make_user(Role.DECISION_MAKER), evaluation=evaluation, reason=REASON)
    with pytest.raises(PermissionDenied):
        policy_override(actor=SystemActor("script"), evaluation=evaluation, reason=REASON)
    assert not PolicyOverride.objects.exists()


def test_you_cannot_approve_your_own_request(make_user):
    senior = make_user(Role.SENIOR_CASEWORKER)
    evaluation = _needs_approval(senior)
    with pytest.raises(PermissionDenied, match="Someone other than the person who asked"):
        policy_override(actor=senior, evaluation=evaluation, reason=REASON)


def test_a_block_can_never_be_overridden(make_user):
    evaluation = policy_evaluate(
        actor=make_user(Role.DECISION_MAKER), action="detain", subject=SUBJECT, facts=CHILD
    )
    with pytest.raises(Conflict, match="A blocked action cannot be approved"):
        policy_override(
            actor=make_user(Role.SENIOR_CASEWORKER), evaluation=evaluation, reason=REASON
        )


def test_an_allowed_action_needs_no_override_and_an_override_happens_once(make_user):
    allowed = policy_evaluate(
        actor=make_user(Role.DECISION_MAKER),
        action="grant_visa",
        subject=SUBJECT,
        facts=CLEAR,
    )
    senior = make_user(Role.SENIOR_CASEWORKER)
    with pytest.raises(Conflict, match="does not need approval"):
        policy_override(actor=senior, evaluation=allowed, reason=REASON)
    evaluation = _needs_approval(make_user(Role.DECISION_MAKER))
    policy_override(actor=senior, evaluation=evaluation, reason=REASON)
    with pytest.raises(Conflict, match="already been approved"), transaction.atomic():
        policy_override(
            actor=make_user(Role.SENIOR_CASEWORKER), evaluation=evaluation, reason=REASON
        )
    assert PolicyOverride.objects.count() == 1
