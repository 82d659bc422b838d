"""Parsing the facts: strict about what is wrong, relaxed about what is missing."""

from __future__ import annotations

from datetime import date

import pytest

from safepassage.policy.facts import FactsError, PartialDate, parse_facts
from tests.policy.support import CLEAR


def test_the_full_vocabulary_parses():
    facts = parse_facts(CLEAR)
    assert facts.person.date_of_birth == PartialDate(1990, 3, 14)
    assert facts.screening.officer_accreditations == frozenset({"screening"})
    assert facts.notices.removal_served_on == date(2026, 11, 1)


def test_everything_missing_is_unknown_not_safe():
    facts = parse_facts({})
    assert facts.person.claimed_minor is None
    assert facts.vulnerabilities is None
    assert facts.referrals.nrm is None
    assert facts.approval is None


def test_null_is_unknown():
    facts = parse_facts({"notices": {"removal_served_on": None}, "person": None})
    assert facts.notices.removal_served_on is None
    assert facts.person.date_of_birth is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"colour": "blue"}, "facts.colour is not a fact the gate knows"),
        ({"person": {"nickname": "x"}}, "person.nickname is not a fact the gate knows"),
        (
            {"vulnerabilities": [{"category": "sadness", "evidence_level": 1}]},
            "vulnerabilities[0].category must be one of",
        ),
        ({"vulnerabilities": [{"evidence_level": 1}]}, "vulnerabilities[0].category is required"),
        (
            {"vulnerabilities": [{"category": "torture", "evidence_level": 4}]},
            "vulnerabilities[0].evidence_level must be 1, 2 or 3",
        ),
        (
            {"vulnerabilities": [{"category": "torture", "evidence_level": True}]},
            "vulnerabilities[0].evidence_level must be 1, 2 or 3",
        ),
        ({"vulnerabilities": {"category": "torture"}}, "vulnerabilities must be a list"),
        ({"person": {"date_of_birth": "2010-02-30"}}, "person.date_of_birth is not a real date"),
        ({"person": {"date_of_birth": "30/01/2010"}}, "person.date_of_birth must be a date"),
        ({"on": "2026-13-01"}, "on is not a real date"),
        ({"on": 20261123}, "on must be a date written YYYY-MM-DD"),
        ({"referrals": {"nrm_decision_date": "2026-02-29"}}, "is not a real date"),
        ({"person": {"claimed_minor": "yes"}}, "person.claimed_minor must be true or false"),
        ({"person": {"claimed_minor": 1}}, "person.claimed_minor must be true or false"),
        ({"detention": {"hours": "24"}}, "detention.hours must be a number"),
        ({"detention": {"hours": -1}}, "detention.hours must be between 0"),
        ({"detention": {"facility": "prison"}}, "detention.facility must be one of"),
        ({"referrals": {"nrm": "maybe"}}, "referrals.nrm must be one of"),
        ({"screening": {"officer_accreditations": ["wizardry"]}}, "officer_accreditations[0]"),
        ({"screening": {"officer_accreditations": "screening"}}, "must be a list"),
        ({"approval": {"role": "king", "reason": "because"}}, "approval.role must be one of"),
        ({"approval": {"role": "senior_caseworker"}}, "approval.reason must be"),
        ({"person": ["not", "an", "object"]}, "person must be an object"),
        (["not", "an", "object"], "facts must be an object"),
    ],
)
def test_bad_facts_are_refused_with_the_fact_named(raw, message):
    with pytest.raises(FactsError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_facts(raw)


def test_partial_dates_of_birth():
    assert parse_facts({"person": {"date_of_birth": "2009"}}).person.date_of_birth == PartialDate(
        2009
    )
    partial = parse_facts({"person": {"date_of_birth": "2009-02"}}).person.date_of_birth
    assert partial is not None
    assert (partial.earliest(), partial.latest()) == (date(2009, 2, 1), date(2009, 2, 28))
    leap = PartialDate(2008, 2)
    assert leap.latest() == date(2008, 2, 29)
    assert PartialDate(2008, 12).latest() == date(2008, 12, 31)
