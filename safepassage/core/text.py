"""Small text helpers for what applicants type.

Applicants use Arabic and Persian keyboards, which type their own digits (Arabic-Indic and
Persian). A code, a phone number or a date typed that way is the same value as one typed in
ASCII, so every numeric input passes through `ascii_digits` before it is parsed.
"""

from __future__ import annotations

import unicodedata


def ascii_digits(text: str) -> str:
    """Replace every Unicode decimal digit with its ASCII digit; leave everything else alone.

    Only characters with a *decimal* value change (Arabic-Indic, Persian, Devanagari,
    fullwidth, ...). Numerals that are not positional decimal digits, such as Ethiopic ፩ or
    superscript ², stay as they are: turning them into ASCII would change the number they mean.
    """
    if text.isascii():
        return text  # the common case: nothing to convert
    return "".join(_ascii_digit(character) for character in text)


def _ascii_digit(character: str) -> str:
    value = unicodedata.decimal(character, None)
    return character if value is None else str(value)
