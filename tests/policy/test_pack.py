"""The pack is well formed: citations, roles, referrals, versions, docs."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from safepassage.core.roles import Role
from safepassage.policy.docs import render_policy_docs
from safepassage.policy.engine import Citation, Effect, Rule, RulePack, UnknownAction
from safepassage.policy.facts import parse_facts
from safepassage.policy.labels import REFERRAL_LABELS
from safepassage.policy.packs import get_pack
from safepassage.policy.packs.uk import ACTIONS, PACK


def test_the_default_pack_is_uk():
    assert get_pack() is PACK
    assert PACK.label == "uk@2026.11.1"


def test_every_rule_cites_published_law_with_a_link():
    for rule in PACK.rules:
        assert rule.citation.url.startswith("https://www.legislation.gov.uk/") or (
            rule.citation.url.startswith("https://www.gov.uk/")
        ), rule.id
        assert rule.citation.instrument
        assert rule.citation.provision
        assert str(rule.explanation).endswith(".")


def test_approvers_are_real_roles_and_referrals_have_names():
    for rule in PACK.rules:
        if rule.approver_role:
            assert rule.approver_role in Role.values
        for code in rule.referrals:
            assert code in REFERRAL_LABELS, code


def test_every_action_is_governed():
    for action in ACTIONS:
        assert PACK.rules_for(action, date(2026, 11, 23)), action


def test_an_unknown_action_is_an_error():
    with pytest.raises(UnknownAction, match="unknown action 'fly'"):
        PACK.evaluate("fly", parse_facts({}), date(2026, 11, 23))


def _rule(**overrides):
    values = {
        "id": "r",
        "title": "t",
        "actions": frozenset({"detain"}),
        "effect": Effect.BLOCK,
        "citation": Citation("Act", "s.1", "https://www.legislation.gov.uk/"),
        "explanation": "x.",
        "check": lambda ctx: None,
        "in_force_from": date(2020, 1, 1),
    }
    values.update(overrides)
    return Rule(**values)


def test_two_versions_of_a_rule_may_not_overlap():
    with pytest.raises(ValueError, match="two versions of r are in force at once"):
        RulePack(
            name="x",
            version="1",
            title="x",
            actions=("detain",),
            rules=(_rule(), _rule(in_force_from=date(2021, 1, 1))),
        )
    RulePack(
        name="x",
        version="1",
        title="x",
        actions=("detain",),
        rules=(_rule(in_force_to=date(2020, 12, 31)), _rule(in_force_from=date(2021, 1, 1))),
    )


def test_a_rule_must_be_coherent():
    with pytest.raises(ValueError, match="name an approver"):
        _rule(effect=Effect.NEEDS_APPROVAL)
    with pytest.raises(ValueError, match="name their referrals"):
        _rule(effect=Effect.REFER)
    with pytest.raises(ValueError, match="unknown actions"):
        RulePack(name="x", version="1", title="x", actions=("remove",), rules=(_rule(),))


def test_a_deployment_can_add_a_pack_without_touching_the_engine(settings):
    settings.POLICY_PACKS = {**settings.POLICY_PACKS, "strict": "tests.policy.strict_pack.PACK"}
    get_pack.cache_clear()
    try:
        strict = get_pack("strict")
        result = strict.evaluate("remove", parse_facts({}), date(2026, 11, 23))
        assert result.outcome == "blocked"
    finally:
        get_pack.cache_clear()


def test_docs_policy_md_is_generated_from_the_pack():
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "policy.md"
    assert docs.read_text(encoding="utf-8") == render_policy_docs(PACK), (
        "docs/policy.md is out of date: run `python manage.py policy_docs`"
    )
    call_command("policy_docs", "--check")
