"""The verification code printed on a decision letter.

Anyone holding the letter (an airline, a border officer, a landlord) can check it on the public
verification page. The code is twelve characters from the references' alphabet (no 0/O, 1/I/L
or U), the last a Luhn mod N check character, in groups of four: ``K7QM-2XHD-9TPB``. Eleven
random characters give 30**11 (about 1.8e16) codes, so guessing one is hopeless, and the
page is rate-limited besides.
"""

from __future__ import annotations

import secrets

from safepassage.applications.references import ALPHABET, check_character
from safepassage.core.text import ascii_digits

RANDOM_LENGTH = 11
GROUP = 4


def _grouped(characters: str) -> str:
    return "-".join(characters[i : i + GROUP] for i in range(0, len(characters), GROUP))


def new_verification_code() -> str:
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return _grouped(payload + check_character(payload))


def normalise_verification_code(text: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one of ours. Spaces,
    dashes, lower case and Arabic or Persian digits are forgiven; the check character is not."""
    characters = [
        character
        for character in ascii_digits(text or "").upper()
        if not character.isspace() and character not in "-‐‑–—_."  # noqa: RUF001
    ]
    if len(characters) != RANDOM_LENGTH + 1 or any(c not in ALPHABET for c in characters):
        return None
    payload, check = "".join(characters[:-1]), characters[-1]
    if check_character(payload) != check:
        return None
    return _grouped(payload + check)
