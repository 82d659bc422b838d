"""ascii_digits: digits from any keyboard read as the same number."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.core.text import ascii_digits


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),  # Arabic-Indic
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),  # Extended Arabic-Indic, on Persian keyboards
        ("०१२३४५६७८९", "0123456789"),  # Devanagari
        ("０１２３４５６７８９", "0123456789"),  # noqa: RUF001 (fullwidth)
        ("١٩٩٠/٠٣/٢١", "1990/03/21"),
        ("+٩٦٤ ٧٧٠", "+964 770"),  # noqa: RUF001 (Arabic-Indic digits)
        ("SP-٢Z٣", "SP-2Z3"),
        ("abc 123", "abc 123"),
        ("", ""),
    ],
)
def test_decimal_digits_become_ascii(typed, expected):
    assert ascii_digits(typed) == expected


@pytest.mark.parametrize(
    "text",
    [
        "፩፪፫",  # Ethiopic numerals are not positional decimal digits
        "²³",  # superscripts have a digit value but no decimal one
        "Ⅻ",  # Roman numeral twelve
        "½",
        "محمد",
        "ትግርኛ",
    ],
)
def test_other_characters_are_left_alone(text):
    assert ascii_digits(text) == text


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_every_decimal_digit_becomes_its_ascii_digit_and_nothing_else_changes(text):
    converted = ascii_digits(text)
    assert len(converted) == len(text)
    for before, after in zip(text, converted, strict=True):
        if before.isdecimal():
            assert after == str(unicodedata.decimal(before))
        else:
            assert after == before
    assert ascii_digits(converted) == converted


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Nd"]), min_size=1))
def test_digits_of_every_script_become_ascii(digits):
    assert ascii_digits(digits).isascii()
    assert ascii_digits(digits).isdigit()
