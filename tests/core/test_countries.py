"""Country names in the reader's language, from pycountry's own catalogues."""

from __future__ import annotations

import gettext

import pycountry
import pytest
from django.conf import settings

from safepassage.core.countries import (
    DOMAIN,
    UNUSABLE_CATALOGUES,
    catalogue_locales,
    country_choices,
    country_name,
    is_country,
)
from safepassage.core.countries import _sort_key as sort_key

OUR_LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize(
    ("alpha3", "language", "expected"),
    [
        # Arabic has no "Syria", only the official short name.
        ("SYR", "ar", "الجمهوريّة العربيّة السّوريّة"),
        ("SYR", "fa", "جمهوری عربی سوریه"),
        ("SYR", "fr", "Syrie"),  # the common name, translated
        ("SYR", "uk", "Сирія"),
        ("SYR", "so", "Suuriya"),
        ("SYR", "en", "Syria"),  # the common name rather than "Syrian Arab Republic"
        ("AFG", "ps", "افغانستان"),
        ("AFG", "fa", "افغانستان"),
        ("AFG", "fa-af", "افغانستان"),  # Dari has no catalogue: Farsi's
        ("AFG", "ckb", "ئەفغانستان"),
        ("ERI", "ti", "ኤርትራ"),
        ("ETH", "ti", "ኢትዮጵያ"),
        ("ERI", "ar", "إريتريا"),
        ("BOL", "en", "Bolivia"),
        ("BOL", "fr", "Bolivie"),
        ("IRN", "fr", "Iran"),  # translated to the same text: still the common name
        ("GBR", "uk", "Велика Британія"),
    ],
)
def test_names_in_the_readers_language(alpha3, language, expected):
    assert country_name(alpha3, language) == expected


@pytest.mark.parametrize(
    ("alpha3", "language", "expected"),
    [
        ("SYR", "ps", "Syria"),  # the Pashto catalogue has neither "Syria" nor the long name
        ("IRN", "ti", "Iran"),
        ("SYR", "ckb", "Syria"),
        ("AFG", "xx", "Afghanistan"),  # a language with no catalogue at all
    ],
)
def test_falls_back_to_english_where_the_catalogue_is_silent(alpha3, language, expected):
    assert country_name(alpha3, language) == expected


def test_amharic_gets_english_because_its_catalogue_is_garbled():
    assert country_name("ETH", "am") == "Ethiopia"
    assert country_name("ERI", "am") == "Eritrea"
    assert catalogue_locales("am") == []


def test_the_amharic_catalogue_is_still_garbled():
    # When pycountry ships a repaired catalogue this fails: check the names and take "am" out
    # of UNUSABLE_CATALOGUES.
    assert "am" in UNUSABLE_CATALOGUES
    raw = gettext.translation(DOMAIN, pycountry.LOCALES_DIR, languages=["am"])
    assert raw.gettext("Ethiopia") not in {"ኢትዮጵያ", "Ethiopia"}


@pytest.mark.parametrize("language", [code for code in OUR_LANGUAGES if code != "en"])
def test_every_language_of_the_scheme_has_a_catalogue_or_a_reason(language):
    locales = catalogue_locales(language)
    if language in UNUSABLE_CATALOGUES:
        assert locales == []
    else:
        assert gettext.find(DOMAIN, pycountry.LOCALES_DIR, languages=locales)


@pytest.mark.parametrize(
    ("language", "locales"),
    [
        ("en", []),
        ("ar", ["ar"]),
        ("fa-af", ["fa_AF", "fa"]),
        ("fa_AF", ["fa_AF", "fa"]),
        ("ckb", ["ckb"]),
        ("pt-br", ["pt_BR", "pt"]),
        ("en-gb", []),
    ],
)
def test_catalogue_locales(language, locales):
    assert catalogue_locales(language) == locales


def test_exclude_leaves_countries_out():
    choices = dict(country_choices("en", exclude=["GBR"]))
    assert "GBR" not in choices
    assert "FRA" in choices
    assert len(choices) == len(pycountry.countries) - 1
    assert "GBR" in dict(country_choices("en"))  # the cached list is not changed


def test_exclude_ignores_codes_that_are_not_countries():
    assert len(country_choices("en", exclude=["XXX", "gbr"])) == len(pycountry.countries)


def test_country_choices_returns_a_fresh_list():
    country_choices("fr").clear()
    assert len(country_choices("fr")) == len(pycountry.countries)


@pytest.mark.parametrize("code", ["XXX", "gbr", "GB", "", "GBR "])
def test_unknown_codes(code):
    assert not is_country(code)
    with pytest.raises(LookupError):
        country_name(code, "en")


def test_known_codes():
    assert is_country("GBR")
    assert is_country("SYR")
    assert all(is_country(country.alpha_3) for country in pycountry.countries)


@pytest.mark.parametrize("language", [*OUR_LANGUAGES, "xx"])
def test_every_choice_has_a_name_and_the_list_is_sorted(language):
    choices = country_choices(language)
    codes = [code for code, _name in choices]
    assert len(codes) == len(set(codes)) == len(pycountry.countries)
    assert all(name.strip() for _code, name in choices)
    keys = [sort_key(name) for _code, name in choices]
    assert keys == sorted(keys)


def test_accented_names_sort_among_their_letter():
    names = [name for _code, name in country_choices("fr")]
    assert names.index("Érythrée") < names.index("Espagne") < names.index("Zambie")
    assert names.index("Égypte") < names.index("Équateur") < names.index("France")


def test_sorting_is_by_casefolded_name():
    assert sort_key("égypte") == sort_key("Égypte")
    assert sort_key("Åland")[0] == "aland"
