"""The normalisers: one skeleton for a name in every script and spelling."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.people.matching.normalise import (
    BadDate,
    DateOfBirth,
    compare_dates,
    document_key,
    name_keys,
    name_tokens,
    parse_date_of_birth,
    skeleton,
    to_latin,
)

SAME_NAME = [
    ("Mohammed", "محمد"),
    ("Muhammad", "Mohamad"),
    ("Mohamed", "Mohammad"),
    ("Hosseini", "حسینی"),
    ("Husseini", "Hoseyni"),
    ("Gebremedhin", "ገብረመድህን"),
    ("Ghebremedhin", "Gebre Medhin"),
    ("Tesfay", "ተስፋይ"),
    ("Tesfaye", "Tesfai"),
    ("Oleksandr", "Олександр"),
    ("Olexandr", "Aleksandr"),
    ("Abdulrahman", "عبد الرحمن"),
    ("Abdul Rahman", "Abd al-Rahman"),
    ("Abdelrahman", "Abd Al Rahman"),
    ("Al-Husseini", "Husseini"),
    ("Alhusseini", "الحسيني"),
    ("Yousef", "يوسف"),
    ("Yusuf", "Youssef"),
    ("Ahmed", "أحمد"),
    ("Ibrahim", "ابراهیم"),
    ("Fatima", "فاطمة"),
    ("Khalid", "Khaled"),
    ("Omar", "عمر"),
    ("Vahid", "وحید"),
    ("Qasim", "Kasim"),
    ("Nguyen Van Minh", "Nguyễn Văn Minh"),
]


@pytest.mark.parametrize(("first", "second"), SAME_NAME)
def test_the_same_name_in_any_script_or_spelling_shares_a_key(first, second):
    assert set(name_keys(first)) & set(name_keys(second))


@pytest.mark.parametrize(
    ("first", "second"),
    [("Mohammed", "Ahmed"), ("Hosseini", "Rahimi"), ("Tesfay", "Yonas"), ("Omar", "Ali")],
)
def test_different_names_do_not(first, second):
    assert not set(name_keys(first)) & set(name_keys(second))


def test_name_order_does_not_matter():
    assert name_tokens("Mohammed Ali", "Hosseini") == name_tokens("Hosseini", "Ali Mohammed")


names = st.text(
    alphabet=st.characters(categories=["L", "Zs", "Pd"], exclude_characters="\x00"),
    max_size=40,
)


@given(names)
def test_normalising_twice_changes_nothing(text):
    latin = to_latin(text)
    assert to_latin(latin) == latin
    for key in name_keys(text):
        assert skeleton(key) == key
    assert name_tokens(" ".join(name_tokens(text))) == name_tokens(text)


@given(st.sampled_from(SAME_NAME), st.sampled_from(["", " ", "  "]), st.booleans())
def test_script_independence_survives_spacing_and_case(pair, padding, upper):
    first, second = pair
    first = padding + (first.upper() if upper else first) + padding
    assert set(name_keys(first)) & set(name_keys(second))


@given(names)
def test_keys_are_plain_lower_case_ascii(text):
    for key in name_keys(text) + name_tokens(text):
        assert key.isascii()
        assert key == key.lower()
        assert " " not in key


def test_document_numbers_ignore_spacing_and_case():
    assert document_key("p 123-456") == document_key("P123456") == "P123456"


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("1990", DateOfBirth(1990), "year"),
        ("1990-03", DateOfBirth(1990, 3), "month"),
        ("1990-03-14", DateOfBirth(1990, 3, 14), "day"),
        ("1990-01-01", DateOfBirth(1990, 1, 1), "year"),  # the placeholder for an unknown date
        ("", None, None),
    ],
)
def test_dates_of_birth(text, expected, precision):
    parsed = parse_date_of_birth(text)
    assert parsed == expected
    if parsed:
        assert parsed.precision == precision


@pytest.mark.parametrize("text", ["1990-02-30", "14/03/1990", "90", "1990-13", "1850-01-01"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(BadDate):
        parse_date_of_birth(text)


@pytest.mark.parametrize(
    ("first", "second", "level"),
    [
        ("1990-03-14", "1990-03-14", "exact"),
        ("1990-03-04", "1990-04-03", "day_month_swapped"),
        ("1990-03-14", "1990-03", "year_month"),
        ("1990-03-14", "1990-01-01", "year"),  # a placeholder agrees only on the year
        ("1990-03-14", "1990", "year"),
        ("1990-03-14", "1991-03-14", "day_month_year_shift"),
        ("1990-03-14", "1988-03-14", "day_month_year_shift"),
        ("1990-03-14", "1991-03-15", "year_1"),
        ("1990-01-01", "1991-01-01", "year_1"),  # two placeholders share no day
        ("1990", "1988", "year_2"),
        ("1990", "1986", "year_3_to_5"),
        ("1990", "1980", "different"),
        ("1990", "", "missing"),
    ],
)
def test_comparing_dates_understands_partial_dates_and_placeholders(first, second, level):
    assert compare_dates(parse_date_of_birth(first), parse_date_of_birth(second)) == level


@given(st.dates(min_value=date(1920, 1, 1), max_value=date(2025, 12, 31)))
def test_a_date_always_agrees_with_itself(day):
    parsed = parse_date_of_birth(day.isoformat())
    assert compare_dates(parsed, parsed) in {"exact", "year"}
