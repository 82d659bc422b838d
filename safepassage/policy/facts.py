"""The facts the policy gate decides from (POLICY.md §4), parsed strictly.

Every key is optional: a missing fact is *unknown*, and a rule that needs it must say so rather
than assume the answer that allows the action. But a key we do not know, a vocabulary code we do
not know, an impossible date or a value of the wrong type is an input error, never a silent pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safepassage.core.roles import Role

VULNERABILITY_CODES = (
    "child",
    "unaccompanied_child",
    "age_disputed",
    "trafficking",
    "torture",
    "sgbv",
    "physical_illness",
    "disability",
    "mental_health",
    "pregnancy",
    "older_person",
    "lgbtqi",
    "single_parent",
    "family_unity",
)
ACCREDITATIONS = (
    "screening",
    "child_interviews",
    "safeguarding_first_responder",
    "qa_reviewer",
    "decision_making",
)
AGE_ASSESSMENT_OUTCOMES = ("none", "pending", "adult", "child")
NRM_STATUSES = (
    "none",
    "consented_referral",
    "duty_to_notify",
    "positive_reasonable_grounds",
    "negative_reasonable_grounds",
    "positive_conclusive_grounds",
)
AGE_REFERRAL_STATUSES = ("none", "requested", "concluded")
RULE35_STATUSES = ("none", "requested", "received")
LOCAL_AUTHORITY_STATUSES = ("none", "made")
SCREENING_STATUSES = ("not_started", "in_progress", "completed")
FACILITIES = ("none", "short_term_holding", "removal_centre")
CHECK_RESULTS = ("pending", "passed", "failed")
SEXES = ("F", "M", "X")

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class FactsError(ValueError):
    """The facts are malformed. The message names the fact and says what is wrong."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day (dates of birth often are not known)."""

    year: int
    month: int | None = None
    day: int | None = None

    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        if self.day is not None and self.month is not None:
            return date(self.year, self.month, self.day)
        if self.month is not None:
            next_month = date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return date.fromordinal(next_month.toordinal() - 1)
        return date(self.year, 12, 31)

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)


@dataclass(frozen=True, slots=True)
class Vulnerability:
    category: str
    evidence_level: int | None = None


@dataclass(frozen=True, slots=True)
class Person:
    date_of_birth: PartialDate | None = None
    claimed_minor: bool | None = None
    age_assessment: str | None = None
    accompanied: bool | None = None
    sex: str | None = None
    pregnant: bool | None = None


@dataclass(frozen=True, slots=True)
class Referrals:
    nrm: str | None = None
    nrm_decision_date: date | None = None
    age_assessment: str | None = None
    rule35: str | None = None
    local_authority: str | None = None


@dataclass(frozen=True, slots=True)
class Screening:
    status: str | None = None
    mandatory_sections_complete: bool | None = None
    language_confirmed: bool | None = None
    interpreter_used: bool | None = None
    interpreter_declaration: bool | None = None
    understanding_confirmed: bool | None = None
    read_back_confirmed: bool | None = None
    officer_accreditations: frozenset[str] | None = None
    responsible_adult_present: bool | None = None
    interpreter_is_recorder: bool | None = None


@dataclass(frozen=True, slots=True)
class Detention:
    detained: bool | None = None
    facility: str | None = None
    hours: float | None = None


@dataclass(frozen=True, slots=True)
class Notices:
    inadmissibility_intent_served_on: date | None = None
    removal_served_on: date | None = None


@dataclass(frozen=True, slots=True)
class Checks:
    identity: str | None = None
    security: str | None = None


@dataclass(frozen=True, slots=True)
class Approval:
    role: str
    reason: str


@dataclass(frozen=True, slots=True)
class Facts:
    on: date | None = None
    person: Person = field(default_factory=Person)
    vulnerabilities: tuple[Vulnerability, ...] | None = None
    referrals: Referrals = field(default_factory=Referrals)
    screening: Screening = field(default_factory=Screening)
    detention: Detention = field(default_factory=Detention)
    notices: Notices = field(default_factory=Notices)
    checks: Checks = field(default_factory=Checks)
    public_protection_concern: bool | None = None
    approval: Approval | None = None


# --- parsing ------------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _object(value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FactsError(f"{path} must be an object, not {_describe(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise FactsError(f"{path}.{unknown[0]} is not a fact the gate knows")
    return value


def _bool(value: Any, path: str) -> bool | None:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise FactsError(f"{path} must be true or false, not {_describe(value)}")
    return value


def _choice(value: Any, path: str, choices: tuple[str, ...]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in choices:
        raise FactsError(f"{path} must be one of {'|'.join(choices)}, not {_describe(value)}")
    return value


def _date(value: Any, path: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise FactsError(f"{path} must be a date written YYYY-MM-DD, not {_describe(value)}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FactsError(f"{path} is not a real date: {value}") from None


def _partial_date(value: Any, path: str) -> PartialDate | None:
    if value is None:
        return None
    match = _PARTIAL_DATE.match(value) if isinstance(value, str) else None
    if match is None:
        raise FactsError(
            f"{path} must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {_describe(value)}"
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise FactsError(f"{path} is not a real date: {value}") from None
    return PartialDate(year, month, day)


def _number(value: Any, path: str, *, maximum: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FactsError(f"{path} must be a number, not {_describe(value)}")
    if not 0 <= value <= maximum:
        raise FactsError(f"{path} must be between 0 and {maximum:g}, not {value}")
    return float(value)


def _person(raw: Any) -> Person:
    data = _object(raw, "person", set(Person.__dataclass_fields__))
    return Person(
        date_of_birth=_partial_date(data.get("date_of_birth"), "person.date_of_birth"),
        claimed_minor=_bool(data.get("claimed_minor"), "person.claimed_minor"),
        age_assessment=_choice(
            data.get("age_assessment"), "person.age_assessment", AGE_ASSESSMENT_OUTCOMES
        ),
        accompanied=_bool(data.get("accompanied"), "person.accompanied"),
        sex=_choice(data.get("sex"), "person.sex", SEXES),
        pregnant=_bool(data.get("pregnant"), "person.pregnant"),
    )


def _vulnerabilities(raw: Any) -> tuple[Vulnerability, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise FactsError(f"vulnerabilities must be a list, not {_describe(raw)}")
    found = []
    for index, item in enumerate(raw):
        path = f"vulnerabilities[{index}]"
        data = _object(item, path, {"category", "evidence_level"})
        category = _choice(data.get("category"), f"{path}.category", VULNERABILITY_CODES)
        if category is None:
            raise FactsError(f"{path}.category is required")
        level = data.get("evidence_level")
        if level is not None and (isinstance(level, bool) or level not in (1, 2, 3)):
            raise FactsError(f"{path}.evidence_level must be 1, 2 or 3, not {_describe(level)}")
        found.append(Vulnerability(category, level))
    return tuple(found)


def _referrals(raw: Any) -> Referrals:
    data = _object(raw, "referrals", set(Referrals.__dataclass_fields__))
    return Referrals(
        nrm=_choice(data.get("nrm"), "referrals.nrm", NRM_STATUSES),
        nrm_decision_date=_date(data.get("nrm_decision_date"), "referrals.nrm_decision_date"),
        age_assessment=_choice(
            data.get("age_assessment"), "referrals.age_assessment", AGE_REFERRAL_STATUSES
        ),
        rule35=_choice(data.get("rule35"), "referrals.rule35", RULE35_STATUSES),
        local_authority=_choice(
            data.get("local_authority"), "referrals.local_authority", LOCAL_AUTHORITY_STATUSES
        ),
    )


def _accreditations(raw: Any) -> frozenset[str] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise FactsError(f"screening.officer_accreditations must be a list, not {_describe(raw)}")
    for index, item in enumerate(raw):
        _choice(item, f"screening.officer_accreditations[{index}]", ACCREDITATIONS)
    return frozenset(raw)


def _screening(raw: Any) -> Screening:
    data = _object(raw, "screening", set(Screening.__dataclass_fields__))
    flags = {
        name: _bool(data.get(name), f"screening.{name}")
        for name in (
            "mandatory_sections_complete",
            "language_confirmed",
            "interpreter_used",
            "interpreter_declaration",
            "understanding_confirmed",
            "read_back_confirmed",
            "responsible_adult_present",
            "interpreter_is_recorder",
        )
    }
    return Screening(
        status=_choice(data.get("status"), "screening.status", SCREENING_STATUSES),
        officer_accreditations=_accreditations(data.get("officer_accreditations")),
        **flags,
    )


def _detention(raw: Any) -> Detention:
    data = _object(raw, "detention", set(Detention.__dataclass_fields__))
    return Detention(
        detained=_bool(data.get("detained"), "detention.detained"),
        facility=_choice(data.get("facility"), "detention.facility", FACILITIES),
        hours=_number(data.get("hours"), "detention.hours", maximum=24 * 366 * 5),
    )


def _notices(raw: Any) -> Notices:
    data = _object(raw, "notices", set(Notices.__dataclass_fields__))
    return Notices(
        inadmissibility_intent_served_on=_date(
            data.get("inadmissibility_intent_served_on"), "notices.inadmissibility_intent_served_on"
        ),
        removal_served_on=_date(data.get("removal_served_on"), "notices.removal_served_on"),
    )


def _checks(raw: Any) -> Checks:
    data = _object(raw, "checks", set(Checks.__dataclass_fields__))
    return Checks(
        identity=_choice(data.get("identity"), "checks.identity", CHECK_RESULTS),
        security=_choice(data.get("security"), "checks.security", CHECK_RESULTS),
    )


def _approval(raw: Any) -> Approval | None:
    if raw is None:
        return None
    data = _object(raw, "approval", {"role", "reason"})
    role = _choice(data.get("role"), "approval.role", tuple(Role.values))
    reason = data.get("reason")
    if role is None:
        raise FactsError("approval.role is required")
    if not isinstance(reason, str) or not reason.strip():
        raise FactsError("approval.reason must be the approver's written reason")
    return Approval(role, reason.strip())


_SECTIONS = {
    "person": _person,
    "referrals": _referrals,
    "screening": _screening,
    "detention": _detention,
    "notices": _notices,
    "checks": _checks,
}


def parse_facts(raw: Any) -> Facts:
    """Facts from decoded JSON. Raises FactsError with a message naming the bad fact."""
    data = _object(raw, "facts", set(Facts.__dataclass_fields__))
    sections = {
        name: parse(data[name]) for name, parse in _SECTIONS.items() if data.get(name) is not None
    }
    return Facts(
        on=_date(data.get("on"), "on"),
        vulnerabilities=_vulnerabilities(data.get("vulnerabilities")),
        public_protection_concern=_bool(
            data.get("public_protection_concern"), "public_protection_concern"
        ),
        approval=_approval(data.get("approval")),
        **sections,  # type: ignore[arg-type]
    )
