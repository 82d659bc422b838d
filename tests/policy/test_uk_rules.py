"""The `uk` pack, rule by rule: one case or more for each, at the boundaries.

Each case starts from facts the gate has nothing against and changes what the rule is about.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.policy.support import ON, finding_rules, verdict

ADULT_DETAINED = {"detention": {"detained": True, "facility": "removal_centre", "hours": 10}}
CHILD = {"person": {"date_of_birth": "2010-04-01"}}
UNACCOMPANIED_CHILD = {"person": {"date_of_birth": "2010-04-01", "accompanied": False}}
STHF = {"detention": {"detained": True, "facility": "short_term_holding"}}


def case(action, changes, outcome, rules=(), on=ON, referrals=None, absent=()):
    label = f"{action}:{rules[0] if rules else outcome}"
    return pytest.param(action, changes, outcome, rules, on, referrals, absent, id=label)


CASES = [
    # --- the baseline: nothing against the person -------------------------------------------
    case("detain", ADULT_DETAINED, "allowed"),
    case("remove", {}, "allowed"),
    case("route_inadmissibility", {}, "allowed"),
    case("decide_inadmissible", {}, "allowed"),
    case("complete_screening", {}, "allowed"),
    case("start_screening_interview", {}, "allowed"),
    case("grant_visa", {}, "allowed"),
    case("refuse_visa", {}, "allowed"),
    case("close_case", {}, "allowed"),
    # --- children and age ---------------------------------------------------------------------
    case("detain", {**ADULT_DETAINED, **CHILD}, "blocked", ["child-detention"]),
    case(
        "detain",
        {"person": {"date_of_birth": "2008-11-24"}, **ADULT_DETAINED},
        "blocked",
        ["child-detention"],  # 17 years 364 days on 2026-11-23
    ),
    case(
        "detain",
        {"person": {"date_of_birth": "2008-11-23"}, **ADULT_DETAINED},
        "allowed",  # 18 exactly
        absent=["child-detention"],
    ),
    case(
        "detain",
        {"person": {"date_of_birth": "1990-01-01", "claimed_minor": True}, **ADULT_DETAINED},
        "blocked",
        ["child-detention"],  # claims to be a child, not assessed: treated as one
    ),
    case(
        "detain",
        {
            "person": {
                "date_of_birth": "1990-01-01",
                "claimed_minor": True,
                "age_assessment": "adult",
            },
            **ADULT_DETAINED,
        },
        "allowed",
        absent=["child-detention"],
    ),
    case(
        "continue_detention",
        {"person": {"date_of_birth": None, "claimed_minor": None, "age_assessment": None}},
        "blocked",
        ["child-detention"],  # cannot tell: fail safe
    ),
    case(
        "detain",
        {**UNACCOMPANIED_CHILD, "detention": {**STHF["detention"], "hours": 24}},
        "needs_approval",
        ["unaccompanied-child-short-term-holding"],
        referrals=["local_authority"],
        absent=["child-detention"],
    ),
    case(
        "continue_detention",
        {**UNACCOMPANIED_CHILD, "detention": {**STHF["detention"], "hours": 24.5}},
        "blocked",
        ["child-detention"],
    ),
    case(
        "detain",
        {**CHILD, "detention": {**STHF["detention"], "hours": 2}},
        "blocked",
        ["child-detention"],  # accompanied: the exception is only for unaccompanied children
    ),
    case(
        "remove",
        {"person": {"claimed_minor": True}, "vulnerabilities": [{"category": "age_disputed"}]},
        "blocked",
        ["age-dispute-referral", "age-dispute-blocks-removal"],
        referrals=["age_assessment"],
    ),
    case(
        "route_inadmissibility",
        {
            "person": {"claimed_minor": True, "age_assessment": "pending"},
            "referrals": {"age_assessment": "requested"},
        },
        "blocked",
        ["age-dispute-blocks-removal", "inadmissibility-preconditions"],
        absent=["age-dispute-referral"],
    ),
    case(
        "remove",
        {
            "person": {"claimed_minor": True, "age_assessment": "adult"},
            "vulnerabilities": [{"category": "age_disputed"}],
            "referrals": {"age_assessment": "concluded"},
        },
        "allowed",
        absent=["age-dispute-blocks-removal"],
    ),
    case(
        "start_screening_interview",
        CHILD,
        "blocked",
        ["child-interview-safeguards"],
    ),
    case(
        "start_screening_interview",
        {
            **CHILD,
            "screening": {
                "officer_accreditations": ["screening", "child_interviews"],
                "responsible_adult_present": True,
            },
        },
        "allowed",
    ),
    case(
        "complete_screening",
        {
            **UNACCOMPANIED_CHILD,
            "screening": {
                "officer_accreditations": ["screening", "child_interviews"],
                "responsible_adult_present": True,
            },
        },
        "allowed",
        ["unaccompanied-child-local-authority"],
        referrals=["local_authority"],
    ),
    # --- adults at risk ---------------------------------------------------------------------
    case(
        "detain",
        {**ADULT_DETAINED, "vulnerabilities": [{"category": "mental_health", "evidence_level": 1}]},
        "needs_approval",
        ["adult-at-risk-detention"],
    ),
    case(
        "continue_detention",
        {**ADULT_DETAINED, "vulnerabilities": [{"category": "disability", "evidence_level": 2}]},
        "needs_approval",
        ["adult-at-risk-detention"],
    ),
    case(
        "detain",
        {**ADULT_DETAINED, "vulnerabilities": [{"category": "mental_health", "evidence_level": 3}]},
        "blocked",
        ["adult-at-risk-level-3"],
        absent=["adult-at-risk-detention"],
    ),
    case(
        "detain",
        {
            **ADULT_DETAINED,
            "vulnerabilities": [{"category": "mental_health", "evidence_level": 3}],
            "public_protection_concern": True,
        },
        "needs_approval",
        ["adult-at-risk-public-protection"],
        absent=["adult-at-risk-level-3"],
    ),
    case(
        "detain",
        {**ADULT_DETAINED, "vulnerabilities": [{"category": "mental_health"}]},
        "blocked",
        ["adult-at-risk-level-3"],  # no evidence level recorded: treated as the highest
    ),
    case(
        "detain", {**ADULT_DETAINED, "vulnerabilities": None}, "blocked", ["adult-at-risk-level-3"]
    ),
    case(
        "detain",
        {
            **ADULT_DETAINED,
            "person": {"sex": "F", "pregnant": True},
            "detention": {"detained": True, "facility": "removal_centre", "hours": 72},
        },
        "needs_approval",
        ["pregnancy-detention-approval"],
    ),
    case(
        "continue_detention",
        {
            **ADULT_DETAINED,
            "person": {"sex": "F", "pregnant": True},
            "detention": {"detained": True, "facility": "removal_centre", "hours": 73},
        },
        "blocked",
        ["pregnancy-detention-limit"],
        absent=["pregnancy-detention-approval"],
    ),
    case(
        "detain",
        {**ADULT_DETAINED, "person": {"sex": "F", "pregnant": None}},
        "needs_approval",
        ["pregnancy-detention-approval"],  # not recorded: never assumed not pregnant
    ),
    # --- torture ----------------------------------------------------------------------------
    case(
        "continue_detention",
        {**ADULT_DETAINED, "vulnerabilities": [{"category": "torture", "evidence_level": 1}]},
        "needs_approval",
        ["torture-rule-35", "adult-at-risk-detention"],
        referrals=["rule35_report", "detention_review"],
    ),
    case(
        "continue_detention",
        {
            **ADULT_DETAINED,
            "vulnerabilities": [{"category": "torture", "evidence_level": 1}],
            "referrals": {"rule35": "requested"},
        },
        "needs_approval",
        ["adult-at-risk-detention"],
        referrals=[],
        absent=["torture-rule-35"],
    ),
    # --- trafficking --------------------------------------------------------------------------
    case(
        "remove",
        {"vulnerabilities": [{"category": "trafficking", "evidence_level": 1}]},
        "blocked",
        ["trafficking-referral-adult", "trafficking-blocks-removal"],
        referrals=["nrm_referral_or_duty_to_notify"],
    ),
    case(
        "route_inadmissibility",
        {**CHILD, "vulnerabilities": [{"category": "trafficking", "evidence_level": 1}]},
        "blocked",
        ["trafficking-referral-child", "trafficking-blocks-removal"],
        referrals=["nrm_referral"],
    ),
    case(
        "remove",
        {
            **CHILD,
            "vulnerabilities": [{"category": "trafficking"}],
            "referrals": {"nrm": "duty_to_notify"},
        },
        "blocked",
        ["trafficking-referral-child"],  # a child is referred; a Duty to Notify is not enough
    ),
    case(
        "remove",
        {"vulnerabilities": [{"category": "trafficking"}], "referrals": {"nrm": "duty_to_notify"}},
        "allowed",
        ["duty-to-notify-only"],
        absent=["trafficking-blocks-removal"],
    ),
    case(
        "remove",
        {
            "vulnerabilities": [{"category": "trafficking"}],
            "referrals": {"nrm": "consented_referral"},
        },
        "blocked",
        ["nrm-awaiting-reasonable-grounds"],
    ),
    case(
        "remove",
        {
            "vulnerabilities": [{"category": "trafficking"}],
            "referrals": {"nrm": "positive_reasonable_grounds", "nrm_decision_date": "2026-10-25"},
        },
        "blocked",
        ["nrm-recovery-period"],  # 29 days after a positive reasonable-grounds decision
    ),
    case(
        "remove",
        {
            "vulnerabilities": [{"category": "trafficking"}],
            "referrals": {"nrm": "negative_reasonable_grounds", "nrm_decision_date": "2026-10-01"},
        },
        "allowed",
    ),
    # --- the screening interview -------------------------------------------------------------
    case(
        "complete_screening",
        {"screening": {"mandatory_sections_complete": False}},
        "blocked",
        ["screening-mandatory-sections"],
    ),
    case(
        "complete_screening",
        {"screening": {"language_confirmed": None}},
        "blocked",
        ["screening-language-confirmed"],
    ),
    case(
        "complete_screening",
        {"screening": {"interpreter_declaration": False}},
        "blocked",
        ["screening-interpreter-confirmations"],
    ),
    case(
        "complete_screening",
        {
            "screening": {
                "interpreter_used": False,
                "interpreter_declaration": False,
                "understanding_confirmed": False,
            }
        },
        "allowed",
    ),
    case(
        "complete_screening",
        {"screening": {"understanding_confirmed": False}},
        "blocked",
        ["screening-interpreter-confirmations"],
    ),
    case(
        "complete_screening",
        {"screening": {"read_back_confirmed": False}},
        "blocked",
        ["screening-read-back"],
    ),
    case(
        "complete_screening",
        {"screening": {"officer_accreditations": []}},
        "blocked",
        ["screening-officer-accredited"],
    ),
    case(
        "start_screening_interview",
        {"screening": {"interpreter_is_recorder": True}},
        "blocked",
        ["interpreter-not-recorder"],
    ),
    case(
        "complete_screening",
        {"screening": {"interpreter_is_recorder": None}},
        "blocked",
        ["interpreter-not-recorder"],
    ),
    # --- inadmissibility ---------------------------------------------------------------------
    case(
        "route_inadmissibility",
        {"screening": {"status": "in_progress"}},
        "blocked",
        ["inadmissibility-preconditions"],
    ),
    case(
        "route_inadmissibility",
        {"referrals": {"rule35": "requested"}},
        "blocked",
        ["inadmissibility-preconditions"],
    ),
    case(
        "route_inadmissibility",
        UNACCOMPANIED_CHILD,
        "blocked",
        ["inadmissibility-preconditions"],
    ),
    case(
        "decide_inadmissible",
        {"notices": {"inadmissibility_intent_served_on": "2026-11-10"}},
        "blocked",
        ["inadmissibility-notice-of-intent"],  # 13 days after service; 14 are needed
    ),
    case(
        "decide_inadmissible",
        {"notices": {"inadmissibility_intent_served_on": "2026-11-09"}},
        "allowed",  # 14 days
    ),
    case(
        "decide_inadmissible",
        {
            "notices": {"inadmissibility_intent_served_on": "2026-11-17"},
            "detention": {"detained": True},
        },
        "blocked",
        ["inadmissibility-notice-of-intent"],  # detained: 6 days, 7 needed
    ),
    case(
        "decide_inadmissible",
        {
            "notices": {"inadmissibility_intent_served_on": "2026-11-16"},
            "detention": {"detained": True},
        },
        "allowed",
    ),
    case(
        "decide_inadmissible",
        {"notices": {"inadmissibility_intent_served_on": None}},
        "blocked",
        ["inadmissibility-notice-of-intent"],
    ),
    # --- removal notice ------------------------------------------------------------------------
    case(
        "remove",
        {"notices": {"removal_served_on": "2026-11-17"}},
        "blocked",
        ["removal-notice-window"],
    ),
    case("remove", {"notices": {"removal_served_on": "2026-11-16"}}, "allowed"),
    case(
        "remove",
        {"notices": {"removal_served_on": "2026-11-20"}, "detention": {"detained": True}},
        "blocked",  # Friday: 72 hours have passed but only one working day (Monday)
        ["removal-notice-window"],
    ),
    case(
        "remove",
        {"notices": {"removal_served_on": "2026-11-19"}, "detention": {"detained": True}},
        "allowed",  # Thursday: Friday and Monday are two working days
    ),
    case("remove", {"notices": {"removal_served_on": None}}, "blocked", ["removal-notice-window"]),
    # --- the safe-passage visa -----------------------------------------------------------------
    case("grant_visa", {"checks": {"security": "pending"}}, "blocked", ["visa-checks-passed"]),
    case("grant_visa", {"checks": {"identity": "failed"}}, "blocked", ["visa-checks-passed"]),
    case("grant_visa", {"checks": None}, "blocked", ["visa-checks-passed"]),
    case("refuse_visa", CHILD, "needs_approval", ["visa-refusal-vulnerable"]),
    case(
        "refuse_visa",
        {"vulnerabilities": [{"category": "sgbv", "evidence_level": 1}]},
        "needs_approval",
        ["visa-refusal-vulnerable"],
    ),
    # --- closing a case ----------------------------------------------------------------------
    case(
        "close_case",
        {
            "vulnerabilities": [{"category": "trafficking"}],
            "referrals": {"nrm": "consented_referral"},
        },
        "needs_approval",
        ["close-case-open-safeguarding"],
    ),
]


@pytest.mark.parametrize(
    ("action", "changes", "outcome", "rules", "on", "referrals", "absent"), CASES
)
def test_rule(action, changes, outcome, rules, on, referrals, absent):
    result = verdict(action, changes, on)
    found = finding_rules(result)
    assert result.outcome == outcome, result.as_dict()["findings"]
    for rule_id in rules:
        assert rule_id in found, f"{rule_id} not in {sorted(found)}"
    for rule_id in absent:
        assert rule_id not in found
    if referrals is not None:
        assert list(result.referrals_required) == list(referrals)


# --- versions of the law ----------------------------------------------------------------------

TRAFFICKED_POSITIVE_RG = {
    "vulnerabilities": [{"category": "trafficking"}],
    "referrals": {"nrm": "positive_reasonable_grounds", "nrm_decision_date": "2023-01-01"},
}


@pytest.mark.parametrize(
    ("on", "days", "citation"),
    [
        (
            date(2023, 1, 29),
            45,
            "Modern Slavery Act 2015: statutory guidance for England and Wales",
        ),
        (date(2023, 1, 30), 30, "Nationality and Borders Act 2022"),
    ],
)
def test_the_recovery_period_changed_on_30_january_2023(on, days, citation):
    result = verdict("remove", TRAFFICKED_POSITIVE_RG, on)
    finding = next(f for f in result.findings if f.rule.id == "nrm-recovery-period")
    assert finding.rule.params["recovery_days"] == days
    assert finding.rule.citation.instrument == citation
    assert f"recovery period of {days} days" in finding.explanation()


def test_within_the_recovery_period_the_finding_says_when_it_ends():
    changes = {
        "vulnerabilities": [{"category": "trafficking"}],
        "referrals": {"nrm": "positive_reasonable_grounds", "nrm_decision_date": "2026-10-25"},
    }
    finding = next(
        f for f in verdict("remove", changes).findings if f.rule.id == "nrm-recovery-period"
    )
    assert "the recovery period of 30 days runs to 2026-11-24" in finding.explanation()


def test_the_recovery_period_ends_but_removal_still_waits_for_conclusive_grounds():
    changes = {
        "vulnerabilities": [{"category": "trafficking"}],
        "referrals": {"nrm": "positive_reasonable_grounds", "nrm_decision_date": "2026-10-01"},
    }
    result = verdict("remove", changes, date(2026, 11, 23))
    assert result.outcome == "blocked"
    finding = next(f for f in result.findings if f.rule.id == "nrm-recovery-period")
    assert "until the conclusive-grounds decision" in finding.explanation()


@pytest.mark.parametrize(
    ("on", "instrument"),
    [
        (date(2022, 6, 27), "Immigration Rules"),
        (date(2022, 6, 28), "Nationality, Immigration and Asylum Act 2002"),
    ],
)
def test_inadmissibility_cites_the_law_in_force(on, instrument):
    result = verdict("route_inadmissibility", {}, on)
    basis = {rule.id: rule for rule in result.basis}
    assert basis["inadmissibility-preconditions"].citation.instrument == instrument


def test_before_the_inadmissibility_rules_existed_the_rule_is_not_in_force():
    result = verdict("route_inadmissibility", {}, date(2020, 12, 30))
    assert "inadmissibility-preconditions" not in {rule.id for rule in result.basis}


def test_missing_facts_are_named_in_the_finding():
    result = verdict("decide_inadmissible", {"notices": {"inadmissibility_intent_served_on": None}})
    finding = next(f for f in result.findings if f.rule.id == "inadmissibility-notice-of-intent")
    assert "Missing fact: notices.inadmissibility_intent_served_on." in finding.explanation()


# --- approvals ---------------------------------------------------------------------------------

AT_RISK = {**ADULT_DETAINED, "vulnerabilities": [{"category": "torture", "evidence_level": 2}]}
LEVEL_3 = {**ADULT_DETAINED, "vulnerabilities": [{"category": "torture", "evidence_level": 3}]}
SENIOR_APPROVAL = {"approval": {"role": "senior_caseworker", "reason": "Reviewed the file."}}


def test_an_approval_from_the_named_role_satisfies_needs_approval():
    result = verdict("detain", {**AT_RISK, **SENIOR_APPROVAL})
    assert result.outcome == "allowed"
    finding = next(f for f in result.findings if f.rule.id == "adult-at-risk-detention")
    assert "Satisfied by the recorded approval of a senior_caseworker" in finding.explanation()


def test_an_approval_from_the_wrong_role_satisfies_nothing():
    result = verdict(
        "detain", {**AT_RISK, "approval": {"role": "decision_maker", "reason": "I say so."}}
    )
    assert result.outcome == "needs_approval"


def test_an_approval_never_lifts_a_block():
    assert verdict("detain", {**LEVEL_3, **SENIOR_APPROVAL}).outcome == "blocked"


def test_basis_lists_every_rule_in_force_for_an_allowed_action():
    result = verdict("grant_visa", {})
    assert result.outcome == "allowed"
    assert result.findings == ()
    assert {rule.id for rule in result.basis} == {"visa-checks-passed"}


def test_verdict_json_has_exactly_the_documented_shape():
    document = verdict("detain", AT_RISK).as_dict()
    assert set(document) == {"action", "on", "outcome", "findings", "referrals_required", "basis"}
    assert set(document["findings"][0]) == {"rule", "effect", "citation", "explanation"}
    assert set(document["findings"][0]["citation"]) == {"instrument", "provision", "url"}
    assert set(document["basis"][0]) == {"rule", "citation"}


def test_every_rule_has_a_case_that_finds_it():
    from safepassage.policy.packs.uk import PACK

    covered = {rule_id for param in CASES for rule_id in param.values[3]}
    assert {rule.id for rule in PACK.rules} - covered == set()


@pytest.mark.parametrize("nrm", ["none", "duty_to_notify"])
def test_trafficking_with_age_unknown_is_held_to_the_child_rule(nrm):
    """Found by the property 'removing a referral never makes an outcome more permissive':
    with the age unknown, neither the adult nor the child rule used to apply, so closing a case
    with no referral at all was easier than closing one whose referral was open."""
    unknown_age = {
        "person": {"date_of_birth": None, "claimed_minor": None, "age_assessment": None},
        "vulnerabilities": [{"category": "trafficking", "evidence_level": 1}],
        "referrals": {"nrm": nrm},
    }
    result = verdict("close_case", unknown_age)
    assert result.outcome.value == "needs_approval"
    assert "trafficking-referral-child" in finding_rules(verdict("detain", unknown_age))
