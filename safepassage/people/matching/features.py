"""From an identity as recorded to the columns the matching model compares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safepassage.people.matching.normalise import (
    DateOfBirth,
    document_key,
    folded,
    name_keys,
    name_tokens,
    place_keys,
)

# Nationalities that are recorded in place of one another for the same person.
CONFUSABLE_NATIONALITIES = (
    ("ERI", "ETH"),
    ("AFG", "IRN"),
    ("AFG", "PAK"),
    ("IRN", "IRQ"),
    ("LBN", "SYR"),
    ("PSE", "SYR"),
    ("EGY", "SDN"),
    ("SDN", "SSD"),
    ("SOM", "ETH"),
)
CONFUSABLE_KEYS = sorted("|".join(sorted(pair)) for pair in CONFUSABLE_NATIONALITIES)


@dataclass(frozen=True)
class IdentityRecord:
    """The interchange fields of one identity (DESIGN.md: the match_identities CSV contract)."""

    record_id: str
    given_names: str = ""
    family_name: str = ""
    name_original_script: str = ""
    date_of_birth: DateOfBirth | None = None
    sex: str = ""
    nationality: str = ""
    place_of_birth: str = ""
    document_number: str = ""


FEATURE_COLUMNS = (
    "unique_id",
    "given_keys",
    "family_keys",
    "given_key",
    "family_key",
    "script_keys",
    "whole_keys",
    "name_tokens",
    "given_tokens",
    "family_tokens",
    "given_folded",
    "family_folded",
    "dob_year",
    "dob_month",
    "dob_day",
    "dob_precision",
    "sex",
    "nationality",
    "place_keys",
    "place_folded",
    "document",
    "document_anagram",
)


def given_and_family(record: IdentityRecord) -> tuple[str, str]:
    """The given names and family name to compare. A record with its name only in the original
    script is split as that name is written: the given names, then the family (or father's)
    name last, as in Arabic, Persian, Pashto, Tigrinya and Amharic."""
    if record.given_names or record.family_name:
        return record.given_names, record.family_name
    written = record.name_original_script.split()
    if len(written) < 2:
        return " ".join(written), ""
    return " ".join(written[:-1]), written[-1]


def features(record: IdentityRecord) -> dict[str, Any]:
    """One row for the model. Empty values are None, which the model treats as unknown."""
    dob = record.date_of_birth
    given_names, family_name = given_and_family(record)
    document = document_key(record.document_number) or None
    tokens = name_tokens(given_names, family_name, record.name_original_script)
    given, family = name_keys(given_names), name_keys(family_name)
    return {
        "unique_id": record.record_id,
        "given_keys": given or None,
        "family_keys": family or None,
        # The shortest key, which is without the article where there is one.
        "given_key": min(given, key=len) if given else None,
        "family_key": min(family, key=len) if family else None,
        # The original script is written as one string; its squashed key still matches a Latin
        # record whose given and family names squash to the same consonants.
        "script_keys": name_keys(record.name_original_script) or None,
        # The whole name squashed, in either order and from either script: the same person
        # whose name was split into given and family names differently still shares one.
        "whole_keys": sorted(
            set(name_keys(f"{given_names} {family_name}"))
            | set(name_keys(f"{family_name} {given_names}"))
            | set(name_keys(record.name_original_script))
        )
        or None,
        "name_tokens": tokens or None,
        "given_tokens": name_tokens(given_names) or None,
        "family_tokens": name_tokens(family_name) or None,
        "given_folded": folded(given_names) or None,
        "family_folded": folded(family_name) or None,
        "dob_year": dob.year if dob else None,
        "dob_month": dob.month if dob and dob.precision != "year" else None,
        "dob_day": dob.day if dob and dob.precision == "day" else None,
        "dob_precision": dob.precision if dob else None,
        "sex": record.sex or None,
        "nationality": record.nationality or None,
        "place_keys": place_keys(record.place_of_birth) or None,
        "place_folded": folded(record.place_of_birth) or None,
        "document": document,
        # The same characters in any order: a number with two digits swapped still meets its
        # twin in blocking.
        "document_anagram": "".join(sorted(document)) if document else None,
    }


NAME_KEY_COLUMNS = ("name_tokens", "given_keys", "family_keys", "script_keys")


def all_name_keys(row: dict[str, Any]) -> set[str]:
    """Every name skeleton of a feature row: what an identity can be found by."""
    return {key for column in NAME_KEY_COLUMNS for key in row[column] or []}
