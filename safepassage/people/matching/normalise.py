"""Making names and dates from different scripts and spellings comparable. Pure functions.

The same person arrives as Mohammed, Muhammad or محمد; Hosseini or حسینی; Gebremedhin, Ghebremedhin
or ገብረመድህን. Arabic and Persian scripts write consonants and long vowels but not short ones, and
Latin spellings of the same name differ mostly in their vowels and in how they render a few
consonants. So we compare *consonant skeletons*:

1. transliterate any script to Latin letters with anyascii (a well-kept library, not our own
   table);
2. fold the consonant spellings that transliterations disagree on (kh/k, q/k, ph/f, x/ks, ...);
3. drop vowels, and the letters y and w after the first (they are how Arabic script writes long
   vowels), and a final h (the Arabic ta marbuta: Fatima/Fatimah/فاطمة);
4. collapse doubled letters (Mohammed/Mohamed).

Both ``محمد`` and ``Mohammed`` become ``mhmd``. Names are compared as sets of skeletons, so the
order of given and family names does not matter, and compound names (Abdul Rahman/Abdulrahman)
are also compared with their spaces squashed out. The article al-/el- is optional: a name with it
and the same name without it share a key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from anyascii import anyascii
from metaphone import doublemetaphone

VOWELS = frozenset("aeiou")
ARTICLES = frozenset({"al", "el", "ul", "il"})
# Particles that begin a compound name and belong with the word after them.
COMPOUND_HEADS = frozenset(
    {"abd", "bd", "abdul", "abdel", "abdal", "abu", "abou", "ibn", "bin", "ben"}
)
_FOLDS = (
    ("kh", "k"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("sh", "s"),
    ("ch", "c"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("c", "k"),
    ("z", "s"),
)
_NOT_LETTERS = re.compile(r"[^a-z]+")
_SEPARATORS = re.compile(r"[\s\-_.,/]+")


@lru_cache(maxsize=200_000)
def to_latin(text: str) -> str:
    """Any script to lower-case Latin letters and single spaces; punctuation becomes a space
    except apostrophes and the Arabic ayn/hamza marks, which are dropped."""
    latin = anyascii(text).lower().replace("'", "").replace("`", "")
    return " ".join(_NOT_LETTERS.sub(" ", latin).split())


def _fold(word: str) -> str:
    for spelling, folded in _FOLDS:
        word = word.replace(spelling, folded)
    return word


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The consonant skeleton of one word (already Latin, lower case, letters only).

    Dropping vowels can bring letters together that fold again (kahab gives khb, then kb), so
    the passes repeat until nothing changes: a skeleton is its own skeleton.
    """
    current = _skeleton_pass(word)
    for _attempt in range(4):
        again = _skeleton_pass(current)
        if again == current:
            break
        current = again
    return current


def _skeleton_pass(word: str) -> str:
    if not word:
        return ""
    folded = _fold(word)
    if folded.startswith("w"):
        folded = "v" + folded[1:]
    kept = [
        letter
        for index, letter in enumerate(folded)
        if letter not in VOWELS and not (index > 0 and letter in "yw")
    ]
    if len(kept) > 1 and kept[-1] == "h":
        kept.pop()
    collapsed = "".join(
        letter for index, letter in enumerate(kept) if index == 0 or letter != kept[index - 1]
    )
    # Abd al-Rahman, Abdul Rahman, Abdelrahman, عبد الرحمن: the article after Abd is dropped.
    if collapsed.startswith("bdl") and len(collapsed) > 4:
        collapsed = "bd" + collapsed[3:]
    # A name of vowels only (Aya, Eua) keeps its folded spelling rather than vanish.
    return collapsed or folded


def alternatives(key: str) -> set[str]:
    """A skeleton and, when it may start with the Arabic article (ال gives a bare l), the
    skeleton without it."""
    found = {key}
    if len(key) >= 4 and key.startswith("l"):
        found.add(key[1:])
    return found


def word_skeletons(word: str) -> set[str]:
    """Every skeleton one written word may stand for (see ``_word_skeletons``)."""
    return set(_word_skeletons(word))


# Names repeat endlessly in a register, so the pure functions below remember their answers.
@lru_cache(maxsize=200_000)
def _word_skeletons(word: str) -> frozenset[str]:
    """Every skeleton one written word may stand for.

    - w after the first letter is a long vowel in Arabic script (يوسف, ywsf: Yousef) but a
      consonant in Latin spellings of Persian names (Sarwari/Sarvari): both readings are kept.
    - Somali spells the Arabic ħ and ʕ with x and c (Xasan = Hassan, Maxamed = Mohamed,
      Cabdi = Abdi).
    - A first j is a y in German and Scandinavian transliterations of Tigrinya, Amharic and
      Arabic names (Jonas = Yonas, Jusuf = Yusuf).
    """
    found = alternatives(skeleton(word))
    if "w" in word[1:]:
        found |= alternatives(skeleton(word[0] + word[1:].replace("w", "v")))
    if "x" in word and len(word) > 2:
        found |= alternatives(skeleton(word.replace("x", "h")))
    if word.startswith("c") and len(word) > 2 and word[1] in VOWELS:
        found |= alternatives(skeleton(word[1:]))
    if word.startswith("j") and len(word) > 2 and word[1] in VOWELS:
        found |= alternatives(skeleton("y" + word[1:]))
    found.discard("")
    return frozenset(found)


def words(text: str) -> list[str]:
    """The Latin words of a name, with compound heads joined to the word after them."""
    return list(_words(text))


@lru_cache(maxsize=200_000)
def _words(text: str) -> tuple[str, ...]:
    parts = to_latin(text).split()
    joined: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        if part in COMPOUND_HEADS and index + 1 < len(parts):
            following = parts[index + 1]
            if following in ARTICLES and index + 2 < len(parts):
                following = parts[index + 2]
                index += 1
            joined.append(part + following)
            index += 2
            continue
        joined.append(part)
        index += 1
    return tuple(joined)


def _without_article(word: str) -> str | None:
    for article in ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 4:
            return word[len(article) :]
    return None


def name_keys(text: str) -> list[str]:
    """Skeletons of a whole name part (given names, or family name) with its spaces squashed:
    one key, or two when it may begin with the article al-/el-."""
    return list(_name_keys(text))


@lru_cache(maxsize=200_000)
def _name_keys(text: str) -> tuple[str, ...]:
    latin = [word for word in words(text) if word not in ARTICLES]
    if not latin:
        return ()
    squashed = "".join(latin)
    keys = word_skeletons(squashed)
    bare = _without_article(squashed)
    if bare:
        keys |= word_skeletons(bare)
    return tuple(sorted(keys))


def name_tokens(*texts: str) -> list[str]:
    """The distinct skeletons of every word in the given names, order-insensitive."""
    tokens: set[str] = set()
    for text in texts:
        for word in words(text):
            if word in ARTICLES:
                continue
            tokens |= word_skeletons(word)
            bare = _without_article(word)
            if bare:
                tokens |= word_skeletons(bare)
    tokens.discard("")
    return sorted(tokens)


def folded(text: str) -> str:
    """Latin, folded, vowels kept, spaces squashed: for edit-distance comparisons."""
    return _fold("".join(word for word in words(text) if word not in ARTICLES))


def phonetic_keys(text: str) -> list[str]:
    """Double-metaphone codes of each word, for blocking."""
    codes: set[str] = set()
    for word in words(text):
        if word in ARTICLES:
            continue
        primary, alternative = doublemetaphone(word)
        codes.update(code for code in (primary, alternative) if code)
    return sorted(codes)


def document_key(number: str) -> str:
    """Upper-case letters and digits only: 'p 123-456' and 'P123456' are the same document."""
    return re.sub(r"[^0-9A-Z]", "", anyascii(number).upper())


def place_keys(text: str) -> list[str]:
    """Skeletons of a place name, with and without an article (El Obeid/Obeid)."""
    return name_keys(text)


# --- dates ----------------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class BadDate(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class DateOfBirth:
    """A date of birth as recorded: to the year, the month or the day. 1 January is what gets
    written when only the year is known, so a day-precision 1 January counts as a year only."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def placeholder(self) -> bool:
        return self.month == 1 and self.day == 1

    @property
    def precision(self) -> str:
        if self.day is not None and not self.placeholder:
            return "day"
        if self.month is not None and not self.placeholder:
            return "month"
        return "year"


def parse_date_of_birth(text: str) -> DateOfBirth | None:
    """'', 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'. Raises BadDate for anything else or an impossible
    date."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text)
    if match is None:
        raise BadDate(f"{text!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        raise BadDate(f"{text!r} is not a real date") from None
    if not 1900 <= year <= 2100:
        raise BadDate(f"{text!r} is not a plausible year of birth")
    return DateOfBirth(year, month, day)


def compare_dates(first: DateOfBirth | None, second: DateOfBirth | None) -> str:
    """How two recorded dates of birth agree, the same levels as the model's comparison:
    'missing', 'exact', 'day_month_swapped', 'day_month_year_shift', 'year_month', 'year',
    'year_1', 'year_2', 'year_3_to_5', 'different'.
    """
    if first is None or second is None:
        return "missing"
    both_days = first.precision == "day" and second.precision == "day"
    if both_days and (first.year, first.month, first.day) == (
        second.year,
        second.month,
        second.day,
    ):
        return "exact"
    if (
        both_days
        and first.year == second.year
        and (first.month, first.day) == (second.day, second.month)
    ):
        return "day_month_swapped"
    gap = abs(first.year - second.year)
    if both_days and (first.month, first.day) == (second.month, second.day) and gap <= 2:
        return "day_month_year_shift"
    if (
        first.precision != "year"
        and second.precision != "year"
        and (first.year, first.month) == (second.year, second.month)
    ):
        return "year_month"
    if gap == 0:
        return "year"
    if gap == 1:
        return "year_1"
    if gap == 2:
        return "year_2"
    if gap <= 5:
        return "year_3_to_5"
    return "different"
