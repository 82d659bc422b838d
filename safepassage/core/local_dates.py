"""Dates (and lists) as each language writes them, from the Unicode CLDR (through Babel).

Django's own formats exist only for the languages Django ships; the portal's languages include
Pashto, Tigrinya, Amharic and Somali, which it does not. Babel has them all. British English
is used for English, as the service is British. Times are shown in Europe/London.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.lists import format_list
from django.utils import timezone
from django.utils.translation import get_language, to_locale


@lru_cache(maxsize=32)
def _locale_for(language: str) -> Locale:
    if language in ("en", "en-gb"):
        return Locale.parse("en_GB")
    try:
        return Locale.parse(to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en_GB")


def current_locale() -> Locale:
    return _locale_for(get_language() or "en")


def _as_local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def long_date(value: date | datetime) -> str:
    """'27 March 1991', '27 مارس 1991', 'መጋቢት 27, 1991'."""
    return format_date(_as_local_date(value), "long", locale=current_locale())


def month_and_year(year: int, month: int) -> str:
    return format_skeleton("yMMMM", date(year, month, 1), fuzzy=True, locale=current_locale())


def date_and_time(value: datetime) -> str:
    """The long date and the short time, joined as the language joins them."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = current_locale()
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{1}", long_date(local)).replace(
        "{0}", format_time(local, "short", locale=locale)
    )


def joined(items: list[str]) -> str:
    """'a, b and c' in the reader's language (CLDR list patterns)."""
    return format_list(items, locale=current_locale()) if items else ""


def partial_date(value: str) -> str:
    """A date of birth as far as it is known: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""
    if not value:
        return ""
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        return long_date(date(*parts))
    if len(parts) == 2:
        return month_and_year(*parts)
    return str(parts[0])
