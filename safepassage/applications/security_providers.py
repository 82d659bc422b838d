"""Security screening of a visa applicant: is this person on a watch list?

A *provider* screens one subject and reports ``clear``, ``possible_match`` or ``match`` with the
hits that led to it. The service (services/security.py) records the report as a check and never
needs to know which provider ran: the local one below screens against the watch list an
administrator loads from a CSV; a government system plugs in as another class with the same two
members (``name`` and ``screen``), named in the setting ``SECURITY_CHECK_PROVIDER``.

How the local provider decides (the thresholds are the module constants below):

1. **Candidates.** Every word of every listed name is stored as its consonant skeleton
   (people.matching.normalise: transliterated from any script, spelling variants folded, vowels
   dropped, al-/el- optional), the family name's words marked as such (``WatchListKey``). The
   subject's words give their skeletons too, and one indexed query finds the entries whose
   *family name* shares a skeleton with *any* of the subject's names (so the order of the names
   does not matter), most shared skeletons first, at most ``CANDIDATE_POOL`` of them. That keeps
   screening a matter of milliseconds with 100,000 entries (benchmarks/security_screening.py).
2. **Names.** Each candidate's words are paired with the subject's, best pairs first. Two words
   are the same name (100) when they share a skeleton (Mohammed, Muhammad and محمد are all
   ``mhmd``); otherwise they score their spelling similarity (rapidfuzz), or ``SOUNDS_ALIKE``
   when their double-metaphone codes agree. The name score is the sum over the pairs, divided by
   the number of words in the shorter name plus half of each word only the longer one has: a
   middle name that one side leaves out costs something, but not everything.
3. **Result.** A name score of ``STRONG_NAME`` or more with the same full date of birth (and the
   same nationality, where both are known) is a *match*. A strong name with a date of birth
   unknown, partly agreeing or contradicting, or a different nationality, is a *possible match*,
   as is a name of ``GOOD_NAME`` or more whose date of birth does not contradict. Dates of birth
   more than five years apart rule the listed person out, unless the names are written exactly
   alike: common names are shared by many people, and an officer cannot usefully look at every
   Mohammed Hussein on a long list. Anything else is clear. An officer adjudicates every
   possible match.

Evidence quotes each hit by the list's own reference, with its score and what agreed, never the
listed person's name: the name stays in the watch list, where only screening reads it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.db.models import Count, Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from metaphone import doublemetaphone
from rapidfuzz import fuzz

from safepassage.applications.models import (
    ScreeningResult,
    WatchList,
    WatchListEntry,
    WatchListKey,
)
from safepassage.core.errors import Conflict
from safepassage.people.matching.normalise import (
    ARTICLES,
    BadDate,
    DateOfBirth,
    compare_dates,
    folded,
    name_keys,
    parse_date_of_birth,
    word_skeletons,
    words,
)

# --- The thresholds --------------------------------------------------------------------------

# A name score (0 to 100) at or above which the names are, for screening, the same: every word
# of the shorter name agrees with a word of the other, and neither has extra words.
STRONG_NAME = 90
# A name score at or above which the names may be the same: for example, the same names but one
# has a middle name the other leaves out (2 of 2 words, 1 extra: 2 / 2.5 = 80).
GOOD_NAME = 75
# Two words whose spelling is at least this similar (rapidfuzz ratio of their folded spellings)
# agree, for the rule that the listed family name must agree with one of the subject's names.
WORD_AGREES = 85
# A pair of words less similar than this counts nothing towards the name score: two unrelated
# names always share a few letters, and that must not add up to a possible match.
WORD_COUNTS = 70
# Two words whose double-metaphone codes agree score at least this, though spelt differently.
SOUNDS_ALIKE = 90
# A word the longer name has and the shorter does not counts this much in the divisor.
EXTRA_WORD_WEIGHT = 0.5
# How many candidate entries are scored, those sharing the most name skeletons first.
CANDIDATE_POOL = 300
# How many hits a report keeps, the strongest first.
MAXIMUM_HITS = 10

# How two dates of birth agree, from people.matching.normalise.compare_dates's levels. Both full
# dates and different is a contradiction, unless day and month are swapped or only the year
# differs a little with the same day and month: those are the usual ways one date is miswritten.
# Years more than five apart (compare_dates's "different") are far apart: not the same person,
# unless the names are written exactly alike.
DATE_AGREES = "exact"
DATE_PARTIAL = "partial"
DATE_UNKNOWN = "unknown"
DATE_CONTRADICTS = "contradicts"
DATE_FAR_APART = "far_apart"
_MISWRITTEN = frozenset({"day_month_swapped", "day_month_year_shift"})
_YEARS_APART = frozenset({"year_2", "year_3_to_5"})

NATIONALITY_SAME = "same"
NATIONALITY_DIFFERENT = "different"
NATIONALITY_UNKNOWN = "unknown"

# Key prefix for the skeletons of a listed family name (WatchListKey.key).
FAMILY = "f:"
KEY_LENGTH = 60

_RANK: dict[str, int] = {
    ScreeningResult.CLEAR: 0,
    ScreeningResult.POSSIBLE_MATCH: 1,
    ScreeningResult.MATCH: 2,
}


# --- What a provider takes and gives ----------------------------------------------------------


@dataclass(frozen=True)
class ScreeningSubject:
    """The person to screen, as the application has them. Any field may be empty."""

    given_names: str = ""
    family_name: str = ""
    given_names_original: str = ""
    family_name_original: str = ""
    date_of_birth: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    nationality: str = ""  # ISO 3166-1 alpha-3


@dataclass(frozen=True)
class ScreeningHit:
    """One listed entry the subject may be. ``agreement`` says how each part compared:
    name ``strong``/``good``; date_of_birth ``exact``/``partial``/``unknown``/``contradicts``/
    ``far_apart``;
    nationality ``same``/``different``/``unknown``."""

    list_reference: str
    score: int
    result: str
    agreement: dict[str, str] = field(default_factory=dict)
    entry_id: int | None = None

    def as_evidence(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ScreeningReport:
    result: str
    hits: tuple[ScreeningHit, ...]
    # Which version of the list was screened against: for the local provider, the watch list's
    # id (also in watch_list_id); a government system gives its own.
    list_version: str
    watch_list_id: int | None = None
    entries_compared: int = 0


@runtime_checkable
class SecurityCheckProvider(Protocol):
    """What the service needs of a screening backend."""

    name: str

    def screen(self, subject: ScreeningSubject) -> ScreeningReport: ...


class ScreeningUnavailable(Conflict):
    """The provider cannot screen now; nothing was recorded."""

    code = "screening_unavailable"


def get_security_provider() -> SecurityCheckProvider:
    """The provider named by ``settings.SECURITY_CHECK_PROVIDER`` (a dotted path to a class that
    takes no arguments)."""
    provider_class = import_string(settings.SECURITY_CHECK_PROVIDER)
    provider = provider_class()
    if not isinstance(provider, SecurityCheckProvider):
        raise TypeError(
            f"{settings.SECURITY_CHECK_PROVIDER} is not a security check provider: it needs a "
            "name and a screen(subject) method"
        )
    return provider


# --- Comparing names, dates and nationalities (pure) ------------------------------------------


def name_words(*texts: str) -> tuple[str, ...]:
    """The Latin words of names, each name part read on its own (compound names joined), the
    articles left out, in a canonical order so that the order they were given in cannot
    matter."""
    found = [word for text in texts for word in words(text) if word not in ARTICLES]
    return tuple(sorted(found))


@lru_cache(maxsize=100_000)
def word_similarity(first: str, second: str) -> float:
    """0 to 100: how likely two written words are the same name."""
    if word_skeletons(first) & word_skeletons(second):
        return 100.0
    similarity = fuzz.ratio(folded(first), folded(second))
    first_codes = {code for code in doublemetaphone(first) if code}
    if first_codes & {code for code in doublemetaphone(second) if code}:
        similarity = max(similarity, SOUNDS_ALIKE)
    return similarity


def name_score(subject: tuple[str, ...], listed: tuple[str, ...]) -> float:
    """0 to 100: the words of two names paired best first (see the module's docstring)."""
    if not subject or not listed:
        return 0.0
    pairs = sorted(
        (
            (-word_similarity(mine, theirs), mine_index, their_index)
            for mine_index, mine in enumerate(subject)
            for their_index, theirs in enumerate(listed)
        )
    )
    paired_mine: set[int] = set()
    paired_theirs: set[int] = set()
    total = 0.0
    for negative, mine_index, their_index in pairs:
        if mine_index in paired_mine or their_index in paired_theirs:
            continue
        paired_mine.add(mine_index)
        paired_theirs.add(their_index)
        if -negative >= WORD_COUNTS:
            total += -negative
    shorter, longer = sorted((len(subject), len(listed)))
    return min(100.0, total / (shorter + EXTRA_WORD_WEIGHT * (longer - shorter)))


def family_agrees(subject: tuple[str, ...], listed_family: tuple[str, ...]) -> bool:
    """Whether a word of the listed family name agrees with any of the subject's words."""
    return any(
        word_similarity(mine, theirs) >= WORD_AGREES for mine in subject for theirs in listed_family
    )


def _date(text: str) -> DateOfBirth | None:
    try:
        return parse_date_of_birth(text or "")
    except BadDate:
        return None


def date_agreement(first: str, second: str) -> str:
    first_date, second_date = _date(first), _date(second)
    level = compare_dates(first_date, second_date)
    if level == "missing":
        return DATE_UNKNOWN
    if level == "exact":
        return DATE_AGREES
    if level == "different":
        return DATE_FAR_APART
    assert first_date is not None
    assert second_date is not None
    both_full = first_date.precision == "day" and second_date.precision == "day"
    if level in _YEARS_APART or (both_full and level not in _MISWRITTEN):
        return DATE_CONTRADICTS
    return DATE_PARTIAL


def nationality_agreement(first: str, second: str) -> str:
    first, second = first.strip().upper(), second.strip().upper()
    if not first or not second:
        return NATIONALITY_UNKNOWN
    return NATIONALITY_SAME if first == second else NATIONALITY_DIFFERENT


@dataclass(frozen=True)
class ListedPerson:
    """A watch-list entry as plain data."""

    list_reference: str
    family_name: str
    given_names: str = ""
    date_of_birth: str = ""
    nationality: str = ""
    entry_id: int | None = None


def assess(subject: ScreeningSubject, listed: ListedPerson) -> ScreeningHit | None:
    """The hit this listed person is for the subject, or None when they are clearly someone
    else. The subject's Latin and original-script names are each compared; the better counts."""
    listed_family = name_words(listed.family_name)
    listed_words = name_words(listed.given_names, listed.family_name)
    latin = name_words(subject.given_names, subject.family_name)
    best = 0.0
    for mine in (latin, name_words(subject.given_names_original, subject.family_name_original)):
        if mine and family_agrees(mine, listed_family):
            best = max(best, name_score(mine, listed_words))
    if best < GOOD_NAME:
        return None
    born = date_agreement(subject.date_of_birth, listed.date_of_birth)
    nationality = nationality_agreement(subject.nationality, listed.nationality)
    if born == DATE_FAR_APART and latin != listed_words:
        return None
    if best >= STRONG_NAME:
        result = (
            ScreeningResult.MATCH
            if born == DATE_AGREES and nationality != NATIONALITY_DIFFERENT
            else ScreeningResult.POSSIBLE_MATCH
        )
    elif born in (DATE_CONTRADICTS, DATE_FAR_APART):
        return None
    else:
        result = ScreeningResult.POSSIBLE_MATCH
    return ScreeningHit(
        list_reference=listed.list_reference,
        score=round(best),
        result=str(result),
        agreement={
            "name": "strong" if best >= STRONG_NAME else "good",
            "date_of_birth": born,
            "nationality": nationality,
        },
        entry_id=listed.entry_id,
    )


def overall(hits: list[ScreeningHit]) -> tuple[str, tuple[ScreeningHit, ...]]:
    """The report's result (its strongest hit's) and its hits, strongest first."""
    ranked = sorted(hits, key=lambda hit: (-_RANK[hit.result], -hit.score, hit.list_reference))
    result = ranked[0].result if ranked else str(ScreeningResult.CLEAR)
    return result, tuple(ranked[:MAXIMUM_HITS])


# --- Keys for finding candidates ---------------------------------------------------------------


def _skeletons(*texts: str) -> set[str]:
    found: set[str] = set()
    for word in name_words(*texts):
        found |= word_skeletons(word)
    for text in texts:
        # A family name of several words also as one: Abu Bakr and Abubakr.
        found.update(name_keys(text))
    found.discard("")
    return {key[:KEY_LENGTH] for key in found}


def entry_keys(given_names: str, family_name: str) -> list[str]:
    """What a listed entry is found by: its given names' skeletons, and its family name's
    marked as the family's."""
    given = _skeletons(given_names)
    family = {(FAMILY + key)[:KEY_LENGTH] for key in _skeletons(family_name)}
    return sorted(given | family)


def subject_keys(subject: ScreeningSubject) -> list[str]:
    """What the subject looks for: every skeleton of every name, in both roles, since the list
    may have the names in another order."""
    skeletons = _skeletons(
        subject.given_names,
        subject.family_name,
        subject.given_names_original,
        subject.family_name_original,
    )
    return sorted(skeletons | {(FAMILY + key)[:KEY_LENGTH] for key in skeletons})


# --- The local provider ------------------------------------------------------------------------


class LocalWatchListProvider:
    """Screens against the current watch list that an administrator loaded (WatchList)."""

    name = "local-watch-list"

    def screen(self, subject: ScreeningSubject) -> ScreeningReport:
        watch_list = WatchList.objects.filter(is_current=True).first()
        if watch_list is None:
            raise ScreeningUnavailable(
                _(
                    "No watch list has been loaded, so there is nothing to screen against. Ask "
                    "an administrator to load the watch list, then run the check."
                )
            )
        keys = subject_keys(subject)
        candidates: list[WatchListEntry] = []
        if keys:
            pool = (
                WatchListKey.objects.filter(watch_list=watch_list, key__in=keys)
                .values("entry_id")
                .annotate(
                    shared=Count("key", distinct=True),
                    family=Count("key", filter=Q(key__startswith=FAMILY)),
                )
                .filter(family__gt=0)
                .order_by("-shared", "entry_id")
                .values_list("entry_id", flat=True)[:CANDIDATE_POOL]
            )
            candidates = list(
                WatchListEntry.objects.filter(pk__in=pool).only(
                    "pk",
                    "list_reference",
                    "given_names",
                    "family_name",
                    "date_of_birth",
                    "nationality",
                )
            )
        hits = [
            hit
            for entry in candidates
            if (
                hit := assess(
                    subject,
                    ListedPerson(
                        list_reference=entry.list_reference,
                        family_name=entry.family_name,
                        given_names=entry.given_names,
                        date_of_birth=entry.date_of_birth,
                        nationality=entry.nationality,
                        entry_id=entry.pk,
                    ),
                )
            )
            is not None
        ]
        result, kept = overall(hits)
        return ScreeningReport(
            result=result,
            hits=kept,
            list_version=str(watch_list.pk),
            watch_list_id=watch_list.pk,
            entries_compared=len(candidates),
        )
