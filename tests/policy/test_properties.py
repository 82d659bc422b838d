"""Properties of the gate that must hold for every set of facts, not just the ones we thought of."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.core.roles import Role
from safepassage.policy.engine import OUTCOME_ORDER, Outcome
from safepassage.policy.facts import (
    CHECK_RESULTS,
    FACILITIES,
    NRM_STATUSES,
    SCREENING_STATUSES,
    SEXES,
    VULNERABILITY_CODES,
    parse_facts,
)
from safepassage.policy.packs.uk import ACTIONS, PACK

ON_DATES = st.dates(min_value=date(2014, 1, 1), max_value=date(2027, 12, 31))
MAYBE_BOOL = st.none() | st.booleans()


def _date_near(on: date) -> st.SearchStrategy[str]:
    return st.integers(min_value=-40, max_value=5).map(
        lambda days: (on + timedelta(days)).isoformat()
    )


vulnerability = st.fixed_dictionaries(
    {"category": st.sampled_from(VULNERABILITY_CODES)},
    optional={"evidence_level": st.sampled_from([1, 2, 3])},
)

date_of_birth = st.one_of(
    st.none(),
    st.dates(min_value=date(1940, 1, 1), max_value=date(2024, 1, 1)).map(date.isoformat),
    st.integers(min_value=1950, max_value=2020).map(str),
)


full_date_of_birth = st.dates(min_value=date(1940, 1, 1), max_value=date(2024, 1, 1)).map(
    date.isoformat
)


@st.composite
def consistent_facts(draw: st.DrawFn, *, person_known: bool = False) -> dict[str, Any]:
    """Facts in which every referral that has been made is backed by the concern behind it.

    With ``person_known``, the person's date of birth, claim to be a minor and whether they are
    accompanied are known.
    """
    on = draw(ON_DATES)
    vulnerabilities = draw(st.lists(vulnerability, max_size=4))
    detained = draw(MAYBE_BOOL)
    referrals = {
        "nrm": draw(st.sampled_from(NRM_STATUSES)),
        "age_assessment": draw(st.sampled_from(("none", "requested", "concluded"))),
        "rule35": draw(st.sampled_from(("none", "requested", "received"))),
        "local_authority": draw(st.sampled_from(("none", "made"))),
        "nrm_decision_date": draw(_date_near(on)),
    }
    if referrals["nrm"] != "none":
        vulnerabilities.append({"category": "trafficking"})
    if referrals["age_assessment"] != "none":
        vulnerabilities.append({"category": "age_disputed"})
    assessed = {
        "none": draw(st.sampled_from([None, "none"])),
        "requested": "pending",
        "concluded": draw(st.sampled_from(["adult", "child"])),
    }[referrals["age_assessment"]]
    if referrals["rule35"] != "none":
        vulnerabilities.append({"category": "torture", "evidence_level": 1})
        detained = True
    if referrals["local_authority"] != "none":
        vulnerabilities.append({"category": "unaccompanied_child"})
    facts: dict[str, Any] = {
        "on": on.isoformat(),
        "person": {
            "date_of_birth": draw(full_date_of_birth if person_known else date_of_birth),
            "claimed_minor": draw(st.booleans() if person_known else MAYBE_BOOL),
            "age_assessment": assessed,
            "accompanied": draw(st.booleans() if person_known else MAYBE_BOOL),
            "sex": draw(st.none() | st.sampled_from(SEXES)),
            "pregnant": draw(MAYBE_BOOL),
        },
        "vulnerabilities": vulnerabilities,
        "referrals": referrals,
        "screening": {
            "status": draw(st.none() | st.sampled_from(SCREENING_STATUSES)),
            "mandatory_sections_complete": draw(MAYBE_BOOL),
            "language_confirmed": draw(MAYBE_BOOL),
            "interpreter_used": draw(MAYBE_BOOL),
            "interpreter_declaration": draw(MAYBE_BOOL),
            "understanding_confirmed": draw(MAYBE_BOOL),
            "read_back_confirmed": draw(MAYBE_BOOL),
            "officer_accreditations": draw(
                st.lists(st.sampled_from(["screening", "child_interviews"]), unique=True)
            ),
            "responsible_adult_present": draw(MAYBE_BOOL),
            "interpreter_is_recorder": draw(MAYBE_BOOL),
        },
        "detention": {
            "detained": detained,
            "facility": draw(st.sampled_from(FACILITIES)),
            "hours": draw(st.sampled_from([0, 10, 24, 25, 72, 73, 200])),
        },
        "notices": {
            "inadmissibility_intent_served_on": draw(st.none() | _date_near(on)),
            "removal_served_on": draw(st.none() | _date_near(on)),
        },
        "checks": {
            "identity": draw(st.none() | st.sampled_from(CHECK_RESULTS)),
            "security": draw(st.none() | st.sampled_from(CHECK_RESULTS)),
        },
        "public_protection_concern": draw(MAYBE_BOOL),
    }
    if draw(st.booleans()):
        facts["approval"] = {"role": draw(st.sampled_from(Role.values)), "reason": "Reviewed."}
    return facts


def outcome(action: str, facts: dict[str, Any]) -> Outcome:
    parsed = parse_facts(facts)
    assert parsed.on is not None
    return PACK.evaluate(action, parsed, parsed.on).outcome


def no_more_permissive(after: Outcome, before: Outcome) -> bool:
    return OUTCOME_ORDER[after] >= OUTCOME_ORDER[before]


@settings(max_examples=300, deadline=None)
@given(consistent_facts(person_known=True), st.sampled_from(ACTIONS), vulnerability)
def test_adding_a_vulnerability_never_makes_an_outcome_more_permissive(facts, action, added):
    """For a person whose age and company are known. Where they are not, the gate fails safe
    by blocking; an indicator that answers the question (``unaccompanied_child``) can then
    lawfully turn that block into the approval the law provides for that case."""
    changed = copy.deepcopy(facts)
    changed["vulnerabilities"].append(added)
    assert no_more_permissive(outcome(action, changed), outcome(action, facts))


@settings(max_examples=300, deadline=None)
@given(
    consistent_facts(),
    st.sampled_from(ACTIONS),
    st.sampled_from(["nrm", "age_assessment", "rule35", "local_authority"]),
)
def test_removing_a_referral_never_makes_an_outcome_more_permissive(facts, action, referral):
    changed = copy.deepcopy(facts)
    changed["referrals"][referral] = "none"
    assert no_more_permissive(outcome(action, changed), outcome(action, facts))


@settings(max_examples=300, deadline=None)
@given(consistent_facts(), st.sampled_from(ACTIONS), st.sampled_from(Role.values))
def test_an_approval_never_turns_blocked_into_anything_else(facts, action, role):
    unapproved = {key: value for key, value in facts.items() if key != "approval"}
    approved = {**unapproved, "approval": {"role": role, "reason": "I have reviewed everything."}}
    if outcome(action, unapproved) == Outcome.BLOCKED:
        assert outcome(action, approved) == Outcome.BLOCKED


@settings(max_examples=300, deadline=None)
@given(consistent_facts(), st.sampled_from(ACTIONS))
def test_basis_contains_every_findings_rule_and_the_verdict_is_json(facts, action):
    parsed = parse_facts(facts)
    assert parsed.on is not None
    result = PACK.evaluate(action, parsed, parsed.on)
    basis = {rule.id for rule in result.basis}
    assert {finding.rule.id for finding in result.findings} <= basis
    document = json.loads(json.dumps(result.as_dict()))
    assert document["outcome"] in {"allowed", "needs_approval", "blocked"}
    if result.outcome == Outcome.BLOCKED:
        assert any(f["effect"] == "block" for f in document["findings"])
