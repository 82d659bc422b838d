"""Application references that a person can read out, type on a phone and get right.

A reference looks like ``SP-7KQ-M4X-9TB``: eight random characters and one check character,
in groups of three after the ``SP`` prefix. The alphabet leaves out the characters people
confuse (0/O, 1/I/L, and U, which is read as V), and the check character is the Luhn mod N
algorithm over that alphabet, so a mistyped reference is refused instead of finding
somebody else's application.

What the check character catches (tests/applications/test_references.py proves each):

* every single-character substitution;
* every transposition of two adjacent, different characters except one: the first and the
  last character of the alphabet, "2" and "Z", swapped ("2Z" <-> "Z2"). Luhn mod N has
  that one blind spot for every N, as decimal Luhn cannot see "09" <-> "90". With N = 30 (even)
  doubling is a permutation of the alphabet, which is why no substitution slips through.
"""

from __future__ import annotations

import secrets
import unicodedata

from safepassage.core.text import ascii_digits

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "SP"
RANDOM_LENGTH = 8
LENGTH = RANDOM_LENGTH + 1  # with the check character
GROUP = 3

_N = len(ALPHABET)
_CODE_POINT = {character: index for index, character in enumerate(ALPHABET)}


def new_reference() -> str:
    """A fresh random reference, canonical and with its check character."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return _format(payload + check_character(payload))


def check_character(payload: str) -> str:
    """The Luhn mod N check character for ``payload`` (characters of ALPHABET only)."""
    # The check character will sit on the right with factor 1, so the payload's rightmost
    # character is doubled.
    return ALPHABET[(_N - _luhn_sum(payload, double_rightmost=True)) % _N]


def normalise_reference(text: str) -> str | None:
    """The canonical ``SP-XXX-XXX-XXX`` form of what a person typed, or None if it is not a
    valid reference.

    Accepted: any case, spaces and hyphens anywhere (and the bidi marks phones add), with or
    without the ``SP`` prefix, digits from an Arabic or Persian keyboard.
    """
    compact = "".join(character for character in ascii_digits(text) if not _is_separator(character))
    if not compact.isascii():
        return None  # upper() would turn the long s (U+017F) into "S"
    compact = compact.upper()
    # With the prefix a reference has 11 characters, without it 9: the length decides, so a
    # reference whose own characters start with "SP" is not mistaken for a prefixed one.
    if len(compact) == len(PREFIX) + LENGTH and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != LENGTH or any(character not in _CODE_POINT for character in compact):
        return None
    if _luhn_sum(compact, double_rightmost=False) % _N != 0:
        return None
    return _format(compact)


def is_valid_reference(text: str) -> bool:
    return normalise_reference(text) is not None


def _luhn_sum(characters: str, *, double_rightmost: bool) -> int:
    total = 0
    double = double_rightmost
    for character in reversed(characters):
        value = _CODE_POINT[character]
        if double:
            value *= 2
            # Sum the two "digits" of the doubled value in base N.
            value = value // _N + value % _N
        total += value
        double = not double
    return total


def _is_separator(character: str) -> bool:
    # Spaces, any dash, and invisible format characters (bidi marks, zero-width joiners).
    return character.isspace() or unicodedata.category(character) in {"Pd", "Cf"}


def _format(characters: str) -> str:
    groups = [characters[start : start + GROUP] for start in range(0, LENGTH, GROUP)]
    return "-".join([PREFIX, *groups])
