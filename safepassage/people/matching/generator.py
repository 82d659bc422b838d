"""Synthetic refugee-style identity registration records, for testing and benchmarking matching.

    records = generate(2000, seed=1)            # a list, about 1.55 records per person
    for record in iter_generate(1_000_000):     # a stream, for benchmarks at scale
        ...
    write_csv(records, "var/identities.csv")
    write_truth_csv(records, "var/identities_truth.csv")
    variation_rates(records)                    # how often each kind of variation occurred

Nothing here is personal data. Names are common given and family names (name_pools.py)
combined at random, dates of birth and document numbers are random, places of birth are
towns picked at random. Any likeness to a real person is a coincidence of common names.

What it models (docs/identity-test-data.md explains each choice and rate): a mix of people
shaped like recent UK asylum intake; each person registers one or more times; the first
record is the clean registration and every later one is a re-registration elsewhere that
independently picks up the variations real data shows: other transliterations, given and
family names swapped, the article al- added or dropped, compound names split or joined,
typos, partial or placeholder dates of birth, day and month swapped, a neighbouring
nationality, place names spelt differently, missing fields and mistyped document numbers.
Families (siblings sharing family name, birthplace and nationality; twins) and very common
names make different people look alike, as they do in life.

Records come out in registration order, with re-registrations landing at random later
points, so duplicates are not grouped together; a person's clean record always comes first,
which is what `variation_rates` relies on.

Randomness is `random.Random(seed)`, so every run can be reproduced exactly. That is what
synthetic test data needs; nothing here is security-relevant, hence `noqa: S311`.
"""

from __future__ import annotations

import csv
import heapq
import random
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import accumulate
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from safepassage.people.matching.name_pools import (
    ALBANIAN,
    AMHARIC,
    ARABIC,
    PASHTO,
    PERSIAN,
    PLACES,
    SOMALI,
    SORANI,
    TIGRINYA,
    UKRAINIAN,
    URDU,
    VIETNAMESE,
    Culture,
    Name,
    Place,
    all_names,
    compact,
)

INTERCHANGE_COLUMNS = (
    "record_id",
    "given_names",
    "family_name",
    "name_original_script",
    "date_of_birth",
    "sex",
    "nationality",
    "place_of_birth",
    "document_number",
)
TRUTH_COLUMNS = ("record_id", "person_id")

# Ages and dates of birth are reckoned from this day, so a seed gives the same data every year.
REFERENCE_DATE = date(2025, 6, 30)

# How often each variation is applied to a re-registration (a person's second and later
# records), and over what: "where applicable" means only where the variation can happen at
# all (a name with several spellings, a family name that takes al-, a day of 12 or less).
# docs/identity-test-data.md gives the reasons.
NAME_TRANSLITERATION = 0.40  # another Latin spelling of one or two name tokens (where applicable)
NAME_SWAPPED = 0.10  # given names and family name exchanged
FAMILY_PREFIX = 0.10  # al-/el- written differently, joined or dropped (where applicable)
COMPOUND_SPACE = 0.10  # Abdul Rahman / Abdulrahman (where applicable)
NAME_TYPO = 0.08  # one character inserted, deleted, substituted or transposed
SCRIPT_PRESENT = 0.55  # each record of a non-Latin-script person carries the original script
DOB_OUTCOMES = (  # for people whose date of birth is known; exactly one of these, or a copy
    ("dob_missing", 0.04),
    ("dob_jan1_placeholder", 0.12),  # day and month unknown: YYYY-01-01
    ("dob_year_only", 0.08),  # YYYY
    ("dob_month_only", 0.02),  # YYYY-MM
    ("dob_day_month_swapped", 0.04),  # where the day is 12 or less
    ("dob_year_off", 0.06),  # by one year (three times in four) or two
)
DOB_ESTIMATE_YEAR_DIFFERS = 0.25  # people who only know their year: another year is recorded
DOB_PLACEHOLDER_SHARE = 0.7  # an unknown date is written YYYY-01-01 (else YYYY)
NATIONALITY_DIFFERS = 0.05  # ERI/ETH, AFG/IRN, SYR/LBN/'', KWT/'', IRQ/IRN (where applicable)
SEX_MISSING = 0.02
SEX_WRONG = 0.01
PLACE_MISSING = 0.10
PLACE_VARIANT = 0.15  # another spelling of the same town (where applicable)
DOCUMENT_MISSING = 0.20  # of re-registrations of people who showed a document
DOCUMENT_MISTYPED = 0.03
SHARE_MALE = 0.75
VIETNAMESE_DIACRITICS = 0.2  # a Vietnamese name is first registered with its diacritics
FAMILY_START = 0.06  # chance that the next person starts a family of two to four siblings
TWINS = 0.15  # chance that a family's first two siblings are twins
RECORDS_PER_PERSON = {  # "realistic": about 60% once, 25% twice, 10% three, 5% four or five
    1: 0.62,
    2: 0.26,
    3: 0.085,
    4: 0.025,
    5: 0.01,
}

ARTICLE_STYLES = ("Al-", "Al ", "Al", "El-", "El ", "")  # "Al" joins: Alhusseini
ARTICLE_WEIGHTS = (0.40, 0.15, 0.10, 0.07, 0.08, 0.20)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class GeneratedRecord:
    """One registration record: the nine interchange columns and the true identity."""

    record_id: str
    given_names: str
    family_name: str
    name_original_script: str
    date_of_birth: str
    sex: str
    nationality: str
    place_of_birth: str
    document_number: str
    person_id: str  # the truth: which person this really is (not an interchange column)

    def as_row(self) -> dict[str, str]:
        """The interchange columns, in order (no person_id)."""
        return {column: getattr(self, column) for column in INTERCHANGE_COLUMNS}


@dataclass(frozen=True)
class Population:
    """People of one nationality and naming culture, and how their records tend to go wrong."""

    nationality: str
    culture: Culture
    weight: float  # share of all people
    places: str  # key into PLACES
    alternatives: tuple[str, ...] = ()  # nationalities their records are also given
    patronymic: float = 0.0  # chance the family name is the father's given name
    unknown_dob: float = 0.04  # chance the person knows only their year of birth
    document: float = 0.3  # chance the person shows a passport or national ID
    documents: tuple[str, ...] = ("passport",)  # kinds of document (see _DOCUMENT_FORMATS)
    stateless: float = 0.0  # chance the nationality is recorded as '' (Kuwait's Bidoon)


# Weighted roughly like recent UK asylum claims by nationality; Iraqi claimants are mostly
# Kurdish and a quarter of Iranian ones are; Afghans are Dari or Pashto speakers.
# Columns: nationality, culture, weight, places, alternatives, patronymic, unknown_dob,
# document, documents. Afghans, Somalis and Sudanese most often know only their year of birth
# (a tazkira gives a year, often in the Solar Hijri calendar); Eritreans rarely carry papers.
POPULATIONS = (
    Population("AFG", PERSIAN, 0.0825, "AFG", ("IRN",), 0, 0.25, 0.2, ("passport", "tazkira")),
    Population("AFG", PASHTO, 0.0675, "AFG", ("IRN",), 0, 0.25, 0.2, ("passport", "tazkira")),
    Population("IRN", PERSIAN, 0.09, "IRN", ("AFG",), 0, 0.03, 0.4, ("iran_passport", "iran_id")),
    Population("IRN", SORANI, 0.03, "IRN-KURD", ("IRQ",), 0, 0.05, 0.3, ("iran_passport",)),
    Population("ERI", TIGRINYA, 0.10, "ERI", ("ETH",), 1.0, 0.12, 0.1),
    Population("SYR", ARABIC, 0.10, "SYR", ("LBN", ""), 0.2, 0.04, 0.4, ("passport", "syria_id")),
    Population("SDN", ARABIC, 0.08, "SDN", (), 0.7, 0.15, 0.2),
    Population("IRQ", SORANI, 0.063, "IRQ-KURD", ("IRN",), 0.3, 0.05, 0.35, ("iraq_id",)),
    Population("IRQ", ARABIC, 0.027, "IRQ-ARAB", ("",), 0.5, 0.05, 0.35, ("passport", "iraq_id")),
    Population("ALB", ALBANIAN, 0.07, "ALB", (), 0, 0.01, 0.55, ("passport", "albania_id")),
    Population("VNM", VIETNAMESE, 0.06, "VNM", (), 0, 0.02, 0.25, ("vietnam_id",)),
    Population("ETH", AMHARIC, 0.04, "ETH", ("ERI",), 1.0, 0.12, 0.2, ("ethiopia_passport",)),
    Population("PAK", URDU, 0.07, "PAK", (), 0, 0.06, 0.5, ("pakistan_passport", "cnic")),
    Population("SOM", SOMALI, 0.02, "SOM", (), 1.0, 0.2, 0.1),
    Population("YEM", ARABIC, 0.02, "YEM", (), 0.5, 0.1, 0.3),
    Population("UKR", UKRAINIAN, 0.02, "UKR", (), 0, 0.0, 0.85, ("ukraine_passport", "ukraine_id")),
    Population("EGY", ARABIC, 0.03, "EGY", (), 0.4, 0.03, 0.5, ("passport", "egypt_id")),
    Population("LBY", ARABIC, 0.015, "LBY", (), 0.4, 0.05, 0.35),
    Population("KWT", ARABIC, 0.015, "KWT", ("",), 0.3, 0.08, 0.1, stateless=0.6),
)


def _expected(share: Callable[[Population], float]) -> float:
    total = sum(p.weight for p in POPULATIONS)
    return sum(p.weight * share(p) for p in POPULATIONS) / total


# What `variation_rates` should find, key by key (the same keys it returns, among others).
VARIATION_TARGETS: dict[str, float] = {
    "people_with_duplicates": 1 - RECORDS_PER_PERSON[1],
    "name_transliteration": NAME_TRANSLITERATION,
    "name_swapped": NAME_SWAPPED,
    "family_prefix": FAMILY_PREFIX,
    "compound_space": COMPOUND_SPACE,
    "name_typo": NAME_TYPO,
    "original_script_present": SCRIPT_PRESENT * _expected(lambda p: p.culture.script != ""),
    **dict(DOB_OUTCOMES),
    "dob_unknown_people": _expected(lambda p: p.unknown_dob),
    "dob_estimate_year_differs": DOB_ESTIMATE_YEAR_DIFFERS,
    "nationality_differs": NATIONALITY_DIFFERS,
    "sex_missing": SEX_MISSING,
    "sex_wrong": SEX_WRONG,
    "place_missing": PLACE_MISSING,
    "place_variant": PLACE_VARIANT,
    "document_people": _expected(lambda p: p.document),
    "document_missing": DOCUMENT_MISSING,
    "document_mistyped": DOCUMENT_MISTYPED,
}


# --- Drawing at random ------------------------------------------------------------------------


class _Weighted(Generic[T]):
    """Items drawn by weight with one random number and a bisection: fast enough for millions."""

    __slots__ = ("cumulative", "items", "total")

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        self.items = tuple(items)
        self.cumulative = tuple(accumulate(weights))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        index = bisect(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def _zipf(items: Sequence[T], exponent: float) -> _Weighted[T]:
    """Pools are listed most common first; weights 1/rank^s make the top names very common."""
    return _Weighted(items, [1 / (rank + 1) ** exponent for rank in range(len(items))])


def _digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10**count):0{count}d}"


def _letters(rng: random.Random, count: int) -> str:
    return "".join(chr(65 + rng.randrange(26)) for _ in range(count))


# Shapes like the real documents; every digit is random.
_DOCUMENT_FORMATS: dict[str, Callable[[random.Random], str]] = {
    "passport": lambda r: "P" + _digits(r, 7 + r.randrange(2)),
    "iran_passport": lambda r: r.choice("KLMNPUY") + _digits(r, 8),
    "ethiopia_passport": lambda r: "EP" + _digits(r, 7),
    "pakistan_passport": lambda r: _letters(r, 2) + _digits(r, 7),
    "ukraine_passport": lambda r: _letters(r, 2) + _digits(r, 6),
    "tazkira": lambda r: f"{1390 + r.randrange(13)}-{_digits(r, 4)}-{_digits(r, 5)}",
    "iran_id": lambda r: f"{_digits(r, 3)}-{_digits(r, 6)}-{_digits(r, 1)}",
    "syria_id": lambda r: _digits(r, 11),
    "iraq_id": lambda r: "1" + _digits(r, 11),
    "albania_id": lambda r: r.choice("GHIJ") + _digits(r, 8) + _letters(r, 1),
    "vietnam_id": lambda r: "0" + _digits(r, 11),
    "egypt_id": lambda r: r.choice("23") + _digits(r, 13),
    "cnic": lambda r: f"{_digits(r, 5)}-{_digits(r, 7)}-{_digits(r, 1)}",
    "ukraine_id": lambda r: _digits(r, 9),
}

# Neighbouring keys on a QWERTY keyboard: most substitution typos hit one of these.
_NEIGHBOURS = {
    "a": "qwsz", "b": "vghn", "c": "xdfv", "d": "serfcx", "e": "wsdr", "f": "drtgvc",
    "g": "ftyhbv", "h": "gyujnb", "i": "ujko", "j": "huikmn", "k": "jiolm", "l": "kop",
    "m": "njk", "n": "bhjm", "o": "iklp", "p": "ol", "q": "wa", "r": "edft", "s": "awedxz",
    "t": "rfgy", "u": "yhji", "v": "cfgb", "w": "qase", "x": "zsdc", "y": "tghu", "z": "asx",
}  # fmt: skip


def _typo(text: str, rng: random.Random) -> str:
    """One slip of the keyboard in a name: a letter inserted, dropped, hit next to, or two
    letters transposed. Spaces and hyphens are never touched, so the word count stays, and
    the result is never another real spelling (Hasan for Hassan is a transliteration)."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    for _ in range(20):
        kind = rng.randrange(4) if len(letters) > 2 else rng.choice((0, 2))
        at = rng.choice(letters)
        ch = text[at]
        if kind == 0:  # inserted: usually a doubled letter
            extra = (
                ch.lower() if rng.random() < 0.6 else rng.choice(_NEIGHBOURS.get(ch.lower(), "e"))
            )
            result = text[: at + 1] + extra + text[at + 1 :]
        elif kind == 1:  # dropped
            result = text[:at] + text[at + 1 :]
        elif kind == 2:  # substituted by a neighbouring key
            new = rng.choice(_NEIGHBOURS.get(ch.lower(), "aeiou"))
            result = text[:at] + (new.upper() if ch.isupper() else new) + text[at + 1 :]
        else:  # transposed with the next letter, keeping capitals where they were
            if at + 1 >= len(text) or not text[at + 1].isalpha():
                continue
            first, second = text[at + 1], text[at]
            first = first.upper() if ch.isupper() else first.lower()
            second = second.upper() if text[at + 1].isupper() else second.lower()
            result = text[:at] + first + second + text[at + 2 :]
        if result != text and compact(result) not in _KNOWN_SPELLINGS:
            return result
    return text + "h" if compact(text + "h") not in _KNOWN_SPELLINGS else text + "x"


def _mistype_document(number: str, rng: random.Random) -> str:
    """One digit copied wrong, or two neighbouring digits swapped."""
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    at = rng.choice(digits)
    nxt = at + 1
    if (
        rng.random() < 0.4
        and nxt < len(number)
        and number[nxt].isdigit()
        and number[nxt] != number[at]
    ):
        return number[:at] + number[nxt] + number[at] + number[nxt + 1 :]
    new = str((int(number[at]) + 1 + rng.randrange(9)) % 10)
    return number[:at] + new + number[at + 1 :]


def _with_article(core: str, style: str) -> str:
    if style in ("Al", "El"):  # joined: Alhusseini
        return style + core[0].lower() + core[1:]
    return style + core


# Every Latin spelling of every name, compacted: a typo must not land on one of them, or it
# would be another spelling rather than a typo.
_KNOWN_SPELLINGS = frozenset(compact(spelling) for name in all_names() for spelling in name.latin)
_COMPOUND_SPELLINGS = frozenset(
    compact(spelling) for name in all_names() if name.compound for spelling in name.latin
)


def _forms_compound(first: Name, second: Name) -> bool:
    return any(compact(a + b) in _COMPOUND_SPELLINGS for a in first.latin for b in second.latin)


def _with_diacritics(slots: Sequence[_Slot], *, keep: bool) -> tuple[_Slot, ...]:
    """Vietnamese names list the plain spelling first and the one with diacritics second."""
    wanted = 1 if keep else 0
    return tuple(s._replace(variant=min(wanted, len(s.name.latin) - 1)) for s in slots)


# --- People -----------------------------------------------------------------------------------


class _Slot(NamedTuple):
    """One name as a record writes it: which spelling, split or joined, and the article."""

    name: Name
    variant: int
    joined: bool = False
    article: str = ""


@dataclass(slots=True)
class _Household:
    """What siblings share: nationality, birthplace, family name, father's line, DOB anchor."""

    population: Population
    nationality: str
    place: Place
    place_variant: int
    patronymic: bool
    family: _Slot | None  # the family name, when it is not the father's name
    lineage: tuple[_Slot, ...]  # father, grandfather, great-grandfather (patronymic cultures)
    dob_known: bool
    size: int
    twins: bool
    members: int = 0
    last_born: int = 0  # date ordinal of the last sibling's birth
    given_taken: tuple[Name, ...] = ()


@dataclass(slots=True)
class _Person:
    person_id: str
    population: Population
    sex: str
    slots: tuple[_Slot, ...]  # given names, then the family name
    spellings: tuple[int, ...]  # slots with more than one Latin spelling
    compounds: tuple[int, ...]  # slots holding a compound name
    born: date | None  # None when only the year is known
    birth_year: int
    nationality: str
    alternatives: tuple[str, ...]
    place: Place
    place_variant: int
    document: str


class _PeopleFactory:
    """Draws people, in households, from the populations and pools."""

    def __init__(self, rng: random.Random, people: int) -> None:
        self.rng = rng
        self.id_width = max(6, len(str(people)))
        self.populations = _Weighted(POPULATIONS, [p.weight for p in POPULATIONS])
        self.pools: dict[tuple[str, str], _Weighted[Name]] = {}
        self.given_tokens: dict[str, _Weighted[int]] = {}
        self.articles = _Weighted(ARTICLE_STYLES, ARTICLE_WEIGHTS)
        self.spellings: dict[int, _Weighted[int]] = {}
        self.family_sizes = _Weighted((2, 3, 4), (0.6, 0.3, 0.1))

    def pool(self, culture: Culture, kind: str) -> _Weighted[Name]:
        key = (culture.key, kind)
        if key not in self.pools:
            names = getattr(culture, kind) or culture.male  # no family pool: father's name
            self.pools[key] = _zipf(names, 0.7 if kind == "family" else 1.0)
        return self.pools[key]

    def slot(self, name: Name, culture: Culture, article: str = "") -> _Slot:
        """A name as first registered: the commoner spellings are the likelier."""
        count = len(name.latin)
        if count not in self.spellings:
            self.spellings[count] = _Weighted(range(count), [1 / (i + 1) for i in range(count)])
        variant = self.spellings[count].pick(self.rng)
        joined = name.compound and self.rng.random() < culture.compound_joined
        return _Slot(name, variant, joined, article)

    def household(self) -> _Household:
        rng = self.rng
        population = self.populations.pick(rng)
        culture = population.culture
        nationality = population.nationality
        if population.stateless and rng.random() < population.stateless:
            nationality = ""
        places = PLACES[population.places]
        place = places[rng.randrange(len(places))]
        place_variant = 0 if rng.random() < 0.7 else rng.randrange(len(place))
        patronymic = rng.random() < population.patronymic or not culture.family
        family = None
        if not patronymic:
            name = self.pool(culture, "family").pick(rng)
            article = self.articles.pick(rng) if name.article else ""
            family = self.slot(name, culture, article)
        lineage: tuple[_Slot, ...] = ()
        if patronymic or culture.father_in_given:
            fathers = self.pool(culture, "male")
            lineage = tuple(self.slot(fathers.pick(rng), culture) for _ in range(3))
        size = self.family_sizes.pick(rng) if rng.random() < FAMILY_START else 1
        return _Household(
            population=population,
            nationality=nationality,
            place=place,
            place_variant=place_variant,
            patronymic=patronymic,
            family=family,
            lineage=lineage,
            dob_known=rng.random() >= population.unknown_dob,
            size=size,
            twins=size > 1 and rng.random() < TWINS,
            given_taken=tuple(slot.name for slot in lineage[:1]),  # not named as the father
        )

    def birth(self, household: _Household) -> int:
        """A date ordinal: the first sibling's age from the intake's age mix, the next ones a
        few years apart (or the same day, for twins)."""
        rng = self.rng
        latest = REFERENCE_DATE.toordinal()
        if household.members == 0:
            born = latest - int(_age(rng) * 365.2425)
        elif household.members == 1 and household.twins:
            born = household.last_born
        else:
            gap = (1 + rng.randrange(5)) * 365 + rng.randrange(-60, 61)
            born = household.last_born + gap
            if born > latest - 30:  # younger siblings must be born already; go older instead
                born = household.last_born - gap
        if date.fromordinal(born).timetuple().tm_yday == 1:
            born += 1  # a known birthday is never 1 January, which in practice means "unknown"
        household.last_born = born
        return born

    def person(self, index: int, household: _Household) -> _Person:
        rng = self.rng
        population = household.population
        sex = "M" if rng.random() < SHARE_MALE else "F"
        slots = self.names(household, sex)
        born = date.fromordinal(self.birth(household))
        household.members += 1
        document = ""
        if rng.random() < population.document:
            kinds = population.documents
            document = _DOCUMENT_FORMATS[kinds[rng.randrange(len(kinds))]](rng)
        return _Person(
            person_id=f"P{index + 1:0{self.id_width}d}",
            population=population,
            sex=sex,
            slots=slots,
            spellings=tuple(i for i, s in enumerate(slots) if len(s.name.latin) > 1),
            compounds=tuple(i for i, s in enumerate(slots) if s.name.compound),
            born=born if household.dob_known else None,
            birth_year=born.year,
            nationality=household.nationality,
            alternatives=tuple(
                code
                for code in (*population.alternatives, population.nationality)
                if code != household.nationality
            ),
            place=household.place,
            place_variant=household.place_variant,
            document=document,
        )

    def names(self, household: _Household, sex: str) -> tuple[_Slot, ...]:
        """Given names then family name, as slots: own name (not a sibling's, nor the
        father's), then a middle name, the father's line or a double name, as the culture has
        it; the family name is the household's or, for patronymic cultures, a forefather's."""
        rng = self.rng
        culture = household.population.culture
        own_pool = self.pool(culture, "male" if sex == "M" else "female")
        own = own_pool.pick(rng)
        for _ in range(5):
            if own not in household.given_taken:
                break
            own = own_pool.pick(rng)
        household.given_taken += (own,)
        given = [self.slot(own, culture)]
        family = household.family
        if culture.male_middle:  # Vietnamese: Nguyen Van Minh, Nguyen Thi Lan
            middle = culture.male_middle if sex == "M" else culture.female_middle
            given.insert(0, self.slot(middle[rng.randrange(len(middle))], culture))
        else:
            extra = self.tokens(culture) - 1
            if household.patronymic:  # Yonas Tesfay: own name, father's...; the last is family
                given += household.lineage[:extra]
                family = household.lineage[extra]
            elif culture.father_in_given:  # Khadija Mohammed Al-Jubouri
                given += household.lineage[:extra]
            else:  # Persian double names: Mohammad Ali, Fatemeh Zahra
                given += [self.slot(self.double(own, own_pool), culture) for _ in range(extra)]
        assert family is not None  # every household without a patronymic has a family name
        slots = (*given, family)
        if culture.diacritics and rng.random() < VIETNAMESE_DIACRITICS:
            slots = _with_diacritics(slots, keep=True)
        elif culture.diacritics:
            slots = _with_diacritics(slots, keep=False)
        return slots

    def double(self, own: Name, pool: _Weighted[Name]) -> Name:
        """A second given name that does not run into the first as a known compound (Ali and
        Reza would read as Alireza, one name, and blur what the records say)."""
        second = pool.pick(self.rng)
        for _ in range(5):
            if second is not own and not _forms_compound(own, second):
                break
            second = pool.pick(self.rng)
        return second

    def tokens(self, culture: Culture) -> int:
        if culture.key not in self.given_tokens:
            weights = culture.given_tokens
            self.given_tokens[culture.key] = _Weighted(range(1, len(weights) + 1), weights)
        return self.given_tokens[culture.key].pick(self.rng)

    def people(self, count: int) -> Iterator[_Person]:
        household = self.household()
        for index in range(count):
            if household.members >= household.size:
                household = self.household()
            yield self.person(index, household)


def _age(rng: random.Random) -> float:
    """About 10% children (most of them 14 to 17), most adults 18 to 40, a few past 60."""
    u = rng.random()
    if u < 0.10:
        return 14 + 4 * rng.random() if rng.random() < 0.55 else 14 * rng.random()
    if u < 0.88:
        return rng.triangular(18, 41, 24)
    if u < 0.97:
        return 41 + 19 * rng.random()
    return 60 + 20 * rng.random()


# --- Records ----------------------------------------------------------------------------------

_Fields = tuple[str, str, str, str, str, str, str, str, str]  # a record less its record_id


def _render_names(
    slots: Sequence[_Slot], typo_at: int | None, rng: random.Random
) -> tuple[str, str]:
    words = []
    for i, slot in enumerate(slots):
        name = slot.name
        core = name.joined[slot.variant] if slot.joined else name.latin[slot.variant]
        if i == typo_at:
            core = _typo(core, rng)
        words.append(_with_article(core, slot.article) if slot.article else core)
    return " ".join(words[:-1]), words[-1]


def _original_script(person: _Person, rng: random.Random) -> str:
    culture = person.population.culture
    if not culture.script or rng.random() >= SCRIPT_PRESENT:
        return ""
    given = " ".join(slot.name.script for slot in person.slots[:-1])
    family = person.slots[-1].name.script
    return f"{family} {given}" if culture.family_first else f"{given} {family}"


def _estimated_dob(year: int, rng: random.Random) -> str:
    return f"{year}-01-01" if rng.random() < DOB_PLACEHOLDER_SHARE else str(year)


def _clean(person: _Person, rng: random.Random) -> _Fields:
    """The first registration: everything as the person gave it."""
    given, family = _render_names(person.slots, None, rng)
    dob = person.born.isoformat() if person.born else _estimated_dob(person.birth_year, rng)
    place = person.place[person.place_variant]
    return (
        given,
        family,
        _original_script(person, rng),
        dob,
        person.sex,
        person.nationality,
        place,
        person.document,
        person.person_id,
    )


_DOB_CUMULATIVE = tuple(accumulate(rate for _, rate in DOB_OUTCOMES))
_DOB_KINDS = tuple(kind for kind, _ in DOB_OUTCOMES)
_DOB_MISSING = dict(DOB_OUTCOMES)["dob_missing"]


def _vary_dob(person: _Person, rng: random.Random) -> str:
    if person.born is None:  # only the year is known, and it is an estimate
        if rng.random() < _DOB_MISSING:
            return ""
        year = person.birth_year
        if rng.random() < DOB_ESTIMATE_YEAR_DIFFERS:
            year += rng.choice((-2, -1, -1, -1, 1, 1, 1, 2))
        return _estimated_dob(year, rng)
    born = person.born
    index = bisect(_DOB_CUMULATIVE, rng.random())
    kind = _DOB_KINDS[index] if index < len(_DOB_KINDS) else "exact"
    if kind == "dob_missing":
        return ""
    if kind == "dob_jan1_placeholder":
        return f"{born.year}-01-01"
    if kind == "dob_year_only":
        return str(born.year)
    if kind == "dob_month_only":
        return f"{born.year}-{born.month:02d}"
    if kind == "dob_day_month_swapped" and born.day <= 12 and born.day != born.month:
        return f"{born.year}-{born.day:02d}-{born.month:02d}"
    if kind == "dob_year_off":
        year = born.year + rng.choice((-2, -1, -1, -1, 1, 1, 1, 2))
        day = 28 if (born.month, born.day) == (2, 29) else born.day
        return f"{year}-{born.month:02d}-{day:02d}"
    return born.isoformat()


def _vary_slots(person: _Person, rng: random.Random) -> list[_Slot]:
    slots = list(person.slots)
    if person.spellings and rng.random() < NAME_TRANSLITERATION:
        if person.population.culture.diacritics:  # diacritics dropped or added throughout
            keep = slots[person.spellings[0]].variant == 0
            return list(_with_diacritics(slots, keep=keep))
        count = 2 if len(person.spellings) > 1 and rng.random() < 0.25 else 1
        for i in rng.sample(person.spellings, count):
            slot = slots[i]
            other = rng.randrange(len(slot.name.latin) - 1)
            slots[i] = slot._replace(variant=other + (other >= slot.variant))
    if person.compounds and rng.random() < COMPOUND_SPACE:
        i = rng.choice(person.compounds)
        slots[i] = slots[i]._replace(joined=not slots[i].joined)
    family = slots[-1]
    if family.name.article and rng.random() < FAMILY_PREFIX:
        others = [style for style in ARTICLE_STYLES if style != family.article]
        slots[-1] = family._replace(article=rng.choice(others))
    return slots


def _reregistration(person: _Person, rng: random.Random) -> _Fields:
    """A later registration elsewhere: each variation applied independently."""
    slots = _vary_slots(person, rng)
    swapped = rng.random() < NAME_SWAPPED
    typo_at = rng.randrange(len(slots)) if rng.random() < NAME_TYPO else None
    given, family = _render_names(slots, typo_at, rng)
    if swapped:
        given, family = family, given

    nationality = person.nationality
    if person.alternatives and rng.random() < NATIONALITY_DIFFERS:
        nationality = rng.choice(person.alternatives)

    sex = person.sex
    u = rng.random()
    if u < SEX_MISSING:
        sex = ""
    elif u < SEX_MISSING + SEX_WRONG:
        sex = "F" if sex == "M" else "M"

    place = person.place[person.place_variant]
    u = rng.random()
    if u < PLACE_MISSING:
        place = ""
    elif u < PLACE_MISSING + PLACE_VARIANT and len(person.place) > 1:
        other = rng.randrange(len(person.place) - 1)
        place = person.place[other + (other >= person.place_variant)]

    document = person.document
    if document:
        u = rng.random()
        if u < DOCUMENT_MISSING:
            document = ""
        elif u < DOCUMENT_MISSING + DOCUMENT_MISTYPED:
            document = _mistype_document(document, rng)

    return (
        given,
        family,
        _original_script(person, rng),
        _vary_dob(person, rng),
        sex,
        nationality,
        place,
        document,
        person.person_id,
    )


def _record_counts(mode: str) -> _Weighted[int]:
    if mode == "realistic":
        return _Weighted(list(RECORDS_PER_PERSON), list(RECORDS_PER_PERSON.values()))
    if mode in ("one", "two"):
        return _Weighted([1 if mode == "one" else 2], [1.0])
    raise ValueError(f"records_per_person must be 'realistic', 'one' or 'two', not {mode!r}")


def iter_generate(
    people: int, *, seed: int = 1, records_per_person: str = "realistic"
) -> Iterator[GeneratedRecord]:
    """Stream the records of `people` synthetic people, in registration order.

    Person i registers first at step i; each re-registration is scheduled at a random later
    step within a window, and a heap releases records in step order. Memory is the window's
    worth of pending records, not the whole data set.
    """
    if people < 0:
        raise ValueError("people must not be negative")
    rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security
    counts = _record_counts(records_per_person)
    factory = _PeopleFactory(rng, people)
    window = max(10, min(people, 40_000) // 2)
    width = max(7, len(str(5 * people)))
    pending: list[tuple[int, int, _Fields]] = []
    sequence = 0
    emitted = 0

    def release(fields: _Fields) -> GeneratedRecord:
        nonlocal emitted
        emitted += 1
        return GeneratedRecord(f"R{emitted:0{width}d}", *fields)

    for step, person in enumerate(factory.people(people)):
        heapq.heappush(pending, (step, sequence, _clean(person, rng)))
        sequence += 1
        for _ in range(counts.pick(rng) - 1):
            later = step + 1 + rng.randrange(window)
            heapq.heappush(pending, (later, sequence, _reregistration(person, rng)))
            sequence += 1
        while pending and pending[0][0] <= step:
            yield release(heapq.heappop(pending)[2])
    while pending:
        yield release(heapq.heappop(pending)[2])


def generate(
    people: int, *, seed: int = 1, records_per_person: str = "realistic"
) -> list[GeneratedRecord]:
    """All the records of `people` synthetic people: `iter_generate` as a list.

    records_per_person: "realistic" (about 60% once, 25% twice, 10% three times, 5% four or
    five), "one" (no duplicates) or "two" (every person exactly twice).
    """
    return list(iter_generate(people, seed=seed, records_per_person=records_per_person))


# --- Files ------------------------------------------------------------------------------------


def write_csv(
    records: Iterable[GeneratedRecord], path: str | Path, *, include_truth: bool = False
) -> int:
    """Write the interchange CSV (UTF-8, header row); with include_truth, person_id as a 10th
    column. Streams, so it takes `iter_generate` at any size. Returns the number of rows."""
    columns = (*INTERCHANGE_COLUMNS, "person_id") if include_truth else INTERCHANGE_COLUMNS
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for record in records:
            writer.writerow([getattr(record, column) for column in columns])
            rows += 1
    return rows


def write_truth_csv(records: Iterable[GeneratedRecord], path: str | Path) -> int:
    """Write record_id,person_id: which records are the same person. Returns the row count."""
    rows = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(TRUTH_COLUMNS)
        for record in records:
            writer.writerow((record.record_id, record.person_id))
            rows += 1
    return rows


# --- Measuring what came out ------------------------------------------------------------------


class _Parsed(NamedTuple):
    """A name as read back from a record: which pool entries it could be, and how written."""

    ids: frozenset[int]
    core: str  # the spelling, compacted, without the article
    spaced: bool  # a compound written as two words
    article: str  # "al-", "al ", "al", "el-", "el ", "el" or ""


class _NameReader:
    """Reads the names in a record back into pool entries, so that two records of the same
    person can be compared name by name. A word that is no spelling of any name is a typo."""

    def __init__(self) -> None:
        self.names = all_names()
        plain: defaultdict[str, set[int]] = defaultdict(set)
        articled: defaultdict[str, set[int]] = defaultdict(set)
        for i, name in enumerate(self.names):
            for spelling in name.latin:
                plain[compact(spelling)].add(i)
                if name.article:
                    articled[compact(spelling)].add(i)
        self.plain = {key: frozenset(ids) for key, ids in plain.items()}
        self.articled = {key: frozenset(ids) for key, ids in articled.items()}
        self.several_spellings = frozenset(i for i, n in enumerate(self.names) if len(n.latin) > 1)
        self.compound = frozenset(i for i, n in enumerate(self.names) if n.compound)
        self.takes_article = frozenset(i for i, n in enumerate(self.names) if n.article)
        self.cache: dict[str, tuple[_Parsed | None, ...]] = {}

    def read(self, text: str) -> tuple[_Parsed | None, ...]:
        if text not in self.cache:
            self.cache[text] = self._read(text)
        return self.cache[text]

    def _read(self, text: str) -> tuple[_Parsed | None, ...]:
        words = text.split()
        out: list[_Parsed | None] = []
        start = 0
        while start < len(words):
            found = None
            for end in range(min(len(words), start + 3), start, -1):  # longest match first
                found = self._match(" ".join(words[start:end]), end - start > 1)
                if found:
                    start = end
                    break
            if found is None:
                if not out or out[-1] is not None:  # one unreadable stretch is one typo
                    out.append(None)
                start += 1
            else:
                out.append(found)
        return tuple(out)

    def _match(self, raw: str, several_words: bool) -> _Parsed | None:
        key = compact(raw)
        if key in self.plain:
            return _Parsed(self.plain[key], key, several_words, "")
        if key[:2] in ("al", "el") and key[2:] in self.articled:
            style = raw[:3] if raw[2:3] in ("-", " ") else raw[:2]
            return _Parsed(self.articled[key[2:]], key[2:], " " in raw[len(style) :], style.lower())
        return None


def _aligned(clean: Sequence[_Parsed | None], other: Sequence[_Parsed | None]) -> bool:
    """Same number of names, each one possibly the same entry (a typo matches anything)."""
    return len(clean) == len(other) and all(
        a is None or b is None or bool(a.ids & b.ids) for a, b in zip(clean, other, strict=True)
    )


class _Tally:
    def __init__(self) -> None:
        self.events: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()

    def count(self, key: str, happened: bool) -> None:
        self.totals[key] += 1
        self.events[key] += happened


def _compare_names(
    reader: _NameReader, clean: GeneratedRecord, dup: GeneratedRecord, tally: _Tally
) -> None:
    clean_given, clean_family = reader.read(clean.given_names), reader.read(clean.family_name)
    given, family = reader.read(dup.given_names), reader.read(dup.family_name)
    tally.count("name_typo", None in given or None in family)
    if None in clean_given or None in clean_family:
        return  # a first registration we cannot read (never expected): nothing to compare
    straight = _aligned(clean_given, given) and _aligned(clean_family, family)
    crossed = _aligned(clean_given, family) and _aligned(clean_family, given)
    if not (straight or crossed):
        return  # a typo hid which name is which; the other kinds cannot be told here
    swapped = crossed and not straight
    tally.count("name_swapped", swapped)
    matched_given, matched_family = (family, given) if swapped else (given, family)
    pairs = [
        (a, b)
        for a, b in zip(clean_given + clean_family, matched_given + matched_family, strict=True)
        if a is not None and b is not None
    ]
    slots = [a for a in clean_given + clean_family if a is not None]
    if any(a.ids & reader.several_spellings for a in slots):
        tally.count("name_transliteration", any(a.core != b.core for a, b in pairs))
    if any(a.ids & reader.compound for a in slots):
        compound_pairs = [(a, b) for a, b in pairs if a.ids & reader.compound]
        tally.count("compound_space", any(a.spaced != b.spaced for a, b in compound_pairs))
    surname = clean_family[0] if len(clean_family) == 1 else None
    other = matched_family[0] if len(matched_family) == 1 else None
    # Written without the article, Husseini may be a name that takes none (Persian Hosseini):
    # only a name that can only be articled, or was, counts as one that could vary.
    if (
        surname is not None
        and other is not None
        and surname.ids & reader.takes_article
        and (surname.article or surname.ids <= reader.takes_article)
    ):
        tally.count("family_prefix", surname.article != other.article)


def _is_estimate(dob: str) -> bool:
    return len(dob) == 4 or dob.endswith("-01-01")


def _compare_dob(clean: str, dup: str, tally: _Tally) -> None:
    if not clean:
        return
    if _is_estimate(clean):  # the person knows only the year
        if dup:
            tally.count("dob_estimate_year_differs", dup[:4] != clean[:4])
        return
    year, month, day = clean[:4], clean[5:7], clean[8:10]
    outcomes = {
        "dob_missing": dup == "",
        "dob_jan1_placeholder": dup == f"{year}-01-01",
        "dob_year_only": dup == year,
        "dob_month_only": dup == f"{year}-{month}",
        "dob_year_off": len(dup) == 10 and dup[4:] == clean[4:] and dup[:4] != year,
    }
    for kind, happened in outcomes.items():
        tally.count(kind, happened)
    if int(day) <= 12 and day != month:
        tally.count("dob_day_month_swapped", dup == f"{year}-{day}-{month}")


_NATIONALITIES_WITH_ALTERNATIVES = frozenset(
    code for p in POPULATIONS if p.alternatives for code in (p.nationality, *p.alternatives)
) - {"LBN"}
_PLACE_SPELLINGS = {
    spelling: place for places in PLACES.values() for place in places for spelling in place
}


def _compare_other(clean: GeneratedRecord, dup: GeneratedRecord, tally: _Tally) -> None:
    _compare_dob(clean.date_of_birth, dup.date_of_birth, tally)
    if clean.nationality in _NATIONALITIES_WITH_ALTERNATIVES:
        tally.count("nationality_differs", dup.nationality != clean.nationality)
    if clean.sex:
        tally.count("sex_missing", dup.sex == "")
        tally.count("sex_wrong", dup.sex not in ("", clean.sex))
    if clean.place_of_birth:
        tally.count("place_missing", dup.place_of_birth == "")
        if len(_PLACE_SPELLINGS.get(clean.place_of_birth, ())) > 1:
            tally.count("place_variant", dup.place_of_birth not in ("", clean.place_of_birth))
    if clean.document_number:
        tally.count("document_missing", dup.document_number == "")
        tally.count("document_mistyped", dup.document_number not in ("", clean.document_number))


# Everything `variation_counts` measures, in the order the documentation gives it.
MEASURES = (
    "people_with_duplicates",
    "duplicate_records",
    "name_transliteration",
    "name_swapped",
    "family_prefix",
    "compound_space",
    "name_typo",
    "original_script_present",
    "original_script_mixed",
    *(kind for kind, _ in DOB_OUTCOMES),
    "dob_unknown_people",
    "dob_estimate_year_differs",
    "nationality_differs",
    "sex_missing",
    "sex_wrong",
    "place_missing",
    "place_variant",
    "document_people",
    "document_missing",
    "document_mistyped",
    "people_sharing_name",
)


def variation_counts(records: Sequence[GeneratedRecord]) -> dict[str, tuple[int, int]]:
    """For each kind of variation: (records or people showing it, records or people where it
    could show). Each person's first record (in the order given) is taken as the clean one and
    every later record is compared with it; see `variation_rates` for the keys."""
    reader = _NameReader()
    tally = _Tally()
    first: dict[str, GeneratedRecord] = {}
    seen: Counter[str] = Counter()
    script_seen: defaultdict[str, set[bool]] = defaultdict(set)
    for record in records:
        seen[record.person_id] += 1
        tally.count("original_script_present", record.name_original_script != "")
        script_seen[record.person_id].add(record.name_original_script != "")
        clean = first.setdefault(record.person_id, record)
        tally.count("duplicate_records", clean is not record)
        if clean is not record:
            _compare_names(reader, clean, record, tally)
            _compare_other(clean, record, tally)
    names = Counter((compact(r.given_names), compact(r.family_name)) for r in first.values())
    for person_id, clean in first.items():
        tally.count("people_with_duplicates", seen[person_id] > 1)
        tally.count("dob_unknown_people", _is_estimate(clean.date_of_birth))
        tally.count("document_people", clean.document_number != "")
        tally.count(
            "people_sharing_name", names[compact(clean.given_names), compact(clean.family_name)] > 1
        )
        if seen[person_id] > 1 and True in script_seen[person_id]:
            tally.count("original_script_mixed", len(script_seen[person_id]) > 1)
    return {key: (tally.events[key], tally.totals[key]) for key in MEASURES}


def variation_rates(records: Sequence[GeneratedRecord]) -> dict[str, float]:
    """The realised rate of each kind of variation, measured from the records themselves.

    Keys, each a share of the records or people where it could occur:
    people_with_duplicates, duplicate_records; name_transliteration, name_swapped,
    family_prefix, compound_space, name_typo (re-registrations); original_script_present (all
    records), original_script_mixed (people registered more than once); dob_missing,
    dob_jan1_placeholder, dob_year_only, dob_month_only, dob_day_month_swapped, dob_year_off
    (re-registrations of people whose date of birth is known), dob_unknown_people,
    dob_estimate_year_differs; nationality_differs; sex_missing, sex_wrong; place_missing,
    place_variant; document_people, document_missing, document_mistyped; people_sharing_name
    (people whose first record's name is exactly another person's). VARIATION_TARGETS holds
    the intended rate for most of them. A kind that could not occur at all is NaN.
    """
    return {
        key: (events / total if total else float("nan"))
        for key, (events, total) in variation_counts(records).items()
    }
