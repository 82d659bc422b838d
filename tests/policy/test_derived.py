"""Derived facts: ages at the boundary, partial dates, working days."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.policy.derived import treated_as_child, under_18, working_days_between
from safepassage.policy.facts import PartialDate, parse_facts


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (PartialDate(2008, 11, 24), date(2026, 11, 23), True),  # 17 years 364 days
        (PartialDate(2008, 11, 24), date(2026, 11, 24), False),  # 18 exactly
        (PartialDate(2008, 2, 29), date(2026, 2, 28), True),  # leap-day birthday: not yet
        (PartialDate(2008, 2, 29), date(2026, 3, 1), False),
        (PartialDate(2008), date(2026, 6, 1), None),  # born some time in 2008: could be either
        (PartialDate(2008), date(2027, 1, 1), False),
        (PartialDate(2009), date(2026, 12, 31), True),
        (PartialDate(2008, 11), date(2026, 11, 15), None),
        (None, date(2026, 11, 23), None),
    ],
)
def test_under_18(born, on, expected):
    assert under_18(born, on) is expected


@given(st.dates(min_value=date(1920, 1, 1), max_value=date(2030, 12, 31)))
def test_a_full_date_of_birth_always_decides_the_age(born):
    on = date(2026, 11, 23)
    result = under_18(PartialDate(born.year, born.month, born.day), on)
    assert result is not None


@pytest.mark.parametrize(
    ("person", "vulnerabilities", "expected"),
    [
        ({"claimed_minor": True}, [], True),
        ({"claimed_minor": True, "age_assessment": "adult"}, [], False),
        ({"claimed_minor": False, "date_of_birth": "2012-01-01"}, [], True),
        ({"claimed_minor": False, "date_of_birth": "1990-01-01"}, [], False),
        ({"age_assessment": "child", "date_of_birth": "1990-01-01"}, [], True),
        ({"date_of_birth": "1990-01-01"}, [{"category": "age_disputed"}], True),
        ({}, [], None),
    ],
)
def test_who_is_treated_as_a_child(person, vulnerabilities, expected):
    facts = parse_facts({"person": person, "vulnerabilities": vulnerabilities})
    assert treated_as_child(facts, date(2026, 11, 23)) is expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 11, 20), date(2026, 11, 23), 1),  # Friday to Monday
        (date(2026, 11, 21), date(2026, 11, 23), 1),  # Saturday to Monday
        (date(2026, 12, 24), date(2026, 12, 29), 1),  # Christmas, Boxing Day (moved to 28th)
        (date(2026, 12, 23), date(2026, 12, 31), 4),
        (date(2027, 3, 25), date(2027, 3, 30), 1),  # Good Friday and Easter Monday 2027
        (date(2026, 11, 23), date(2026, 11, 23), 0),
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, end, expected):
    assert working_days_between(start, end) == expected
