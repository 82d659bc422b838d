"""Country names in the reader's language, from pycountry's ISO 3166-1 catalogues.

Countries are identified by their ISO 3166-1 alpha-3 code (upper case, as pycountry has it).
A name comes from the first of these that exists:

1. the common name translated ("Bolivie" rather than "Bolivie, état plurinational de");
2. the official short name translated (the Arabic catalogue has "الجمهوريّة العربيّة السّوريّة"
   but no translation of "Syria": an Arabic reader should still read Arabic);
3. the English common name, then the English name.
"""

from __future__ import annotations

import gettext
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import pycountry
from django.utils.translation import to_locale

DOMAIN = "iso3166-1"

# Catalogues whose text is not usable, by the language code they would serve. The iso-codes
# Amharic catalogue is garbled (Ethiopia is "ጒት፥ጵ።" where it should be "ኢትዮጵያ", with
# Ethiopic punctuation inside words), so an Amharic reader gets the English names instead.
# tests/core/test_countries.py notices when pycountry ships a repaired one.
UNUSABLE_CATALOGUES = frozenset({"am"})

_COUNTRIES = {country.alpha_3: country for country in pycountry.countries}

# gettext answers a missing message with the message itself, which cannot be told apart from
# a translation that happens to be the same ("Iran" in French). A last fallback that answers
# "" marks the missing ones: a compiled catalogue never holds an empty translation.
_MISSING = ""


class _MarkMissing(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return _MISSING


def is_country(alpha3: str) -> bool:
    """Whether ``alpha3`` is a current ISO 3166-1 alpha-3 code (upper case)."""
    return alpha3 in _COUNTRIES


def country_name(alpha3: str, language: str) -> str:
    """The name of the country in ``language`` (a code from settings.LANGUAGES, or any
    language code); English where the catalogue has no name for it.

    Raises LookupError for a code that is not a current country: callers validate codes on
    the way in with is_country.
    """
    country = _COUNTRIES.get(alpha3)
    if country is None:
        raise LookupError(f"not an ISO 3166-1 alpha-3 country code: {alpha3!r}")
    catalogue = _catalogue(language)
    common_name: str | None = getattr(country, "common_name", None)
    name: str = country.name
    for english in (common_name, name):
        if english and (translated := catalogue.gettext(english)):
            return translated
    return common_name or name


def country_choices(language: str, *, exclude: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(alpha-3, name) for every country, sorted by name in ``language``."""
    excluded = set(exclude)
    return [choice for choice in _choices(language) if choice[0] not in excluded]


def catalogue_locales(language: str) -> list[str]:
    """The pycountry locale directories tried for ``language``, most specific first.

    "fa-af" (Dari) tries "fa_AF" and then "fa": where Dari has no name of its own, the Farsi
    one is understood, which the English one may not be.
    """
    locale = to_locale(language.replace("_", "-"))
    base = locale.split("_")[0]
    if base == "en" or base in UNUSABLE_CATALOGUES:
        return []  # English is the catalogues' source language
    return [locale] if locale == base else [locale, base]


@lru_cache(maxsize=32)  # bounded: the language may come from a request header
def _catalogue(language: str) -> gettext.NullTranslations:
    catalogue = gettext.translation(
        DOMAIN, pycountry.LOCALES_DIR, languages=catalogue_locales(language), fallback=True
    )
    # gettext.translation returns a fresh copy, so adding to its chain touches no shared state.
    catalogue.add_fallback(_MarkMissing())
    return catalogue


@lru_cache(maxsize=32)
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    choices = [(alpha3, country_name(alpha3, language)) for alpha3 in _COUNTRIES]
    return tuple(sorted(choices, key=lambda choice: _sort_key(choice[1])))


def _sort_key(name: str) -> tuple[str, str]:
    # Letters first, accents and Arabic vowel marks second, so "Égypte" sorts among the Es
    # rather than after "Zimbabwe".
    folded = name.casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(character for character in decomposed if not unicodedata.combining(character))
    return base, folded
