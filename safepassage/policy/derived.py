"""Facts the rules derive from the facts they are given. Pure functions; None means unknown."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from safepassage.policy.facts import Facts, PartialDate

ADULTHOOD = 18


def _birthday(born: date, years: int) -> date:
    """The date someone born on ``born`` turns ``years`` (29 February birthdays fall on 1 March)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def under_18(date_of_birth: PartialDate | None, on: date) -> bool | None:
    """Under 18 on ``on``? Unknown when the date of birth is missing, or is partial and the
    possible birth dates fall on both sides of the 18th birthday."""
    if date_of_birth is None:
        return None
    if on >= _birthday(date_of_birth.latest(), ADULTHOOD):
        return False  # even the youngest they could be is an adult
    if on < _birthday(date_of_birth.earliest(), ADULTHOOD):
        return True  # even the oldest they could be is a child
    return None


def treated_as_child(facts: Facts, on: date) -> bool | None:
    """A person under 18, or who claims to be and has not been found an adult by a lawful age
    assessment, is treated as a child (POLICY.md §3). None when we cannot tell."""
    person = facts.person
    if person.age_assessment == "adult":
        return False
    if person.age_assessment == "child" or person.claimed_minor:
        return True
    # An age dispute is a claim to be a child that is doubted: the claimant is treated as one.
    if any(has_indicator(facts, code) for code in ("child", "unaccompanied_child", "age_disputed")):
        return True
    return under_18(person.date_of_birth, on)


def unaccompanied(facts: Facts) -> bool | None:
    if has_indicator(facts, "unaccompanied_child"):
        return True
    if facts.person.accompanied is None:
        return None
    return not facts.person.accompanied


def age_disputed(facts: Facts) -> bool:
    """A claimed minor whose age is doubted, until a lawful assessment concludes."""
    person = facts.person
    if person.age_assessment in ("adult", "child") or facts.referrals.age_assessment == "concluded":
        return False
    return has_indicator(facts, "age_disputed") or person.age_assessment == "pending"


def has_indicator(facts: Facts, category: str) -> bool:
    return any(item.category == category for item in facts.vulnerabilities or ())


def indicator_levels(facts: Facts) -> list[int | None]:
    """Evidence levels of the adult-at-risk indicators (every category is one)."""
    return [item.evidence_level for item in facts.vulnerabilities or ()]


def is_pregnant(facts: Facts) -> bool | None:
    if facts.person.pregnant or has_indicator(facts, "pregnancy"):
        return True
    if facts.person.pregnant is False or facts.person.sex == "M":
        return False
    return None


def detained(facts: Facts, action: str | None = None) -> bool | None:
    if action == "continue_detention":
        return True
    return facts.detention.detained


@lru_cache(maxsize=8)
def _bank_holidays(years: tuple[int, ...]) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv="ENG", years=years)


def working_days_between(start: date, end: date) -> int:
    """Whole working days after ``start`` up to and including ``end`` (England and Wales)."""
    if end <= start:
        return 0
    closed = _bank_holidays(tuple(range(start.year, end.year + 1)))
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        if day.weekday() < 5 and day not in closed:
            count += 1
        day += timedelta(days=1)
    return count
