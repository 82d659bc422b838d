"""Demo people for a new installation: generated, never real, with some of them registered more
than once under other spellings, so that the candidate review has something to show."""

from __future__ import annotations

import unicodedata

from safepassage.core.actors import Actor
from safepassage.people import services
from safepassage.people.matching.generator import GeneratedRecord, generate
from safepassage.people.models import Person, Script

DEMO_PEOPLE = 30
DEMO_SEED = 2026


def _script(text: str) -> str:
    for character in text:
        name = unicodedata.name(character, "")
        if name.startswith("ARABIC"):
            return Script.ARABIC
        if name.startswith("ETHIOPIC"):
            return Script.ETHIOPIC
        if name.startswith("CYRILLIC"):
            return Script.CYRILLIC
    return Script.LATIN if text else ""


def _identity(record: GeneratedRecord) -> services.IdentityInput:
    original = record.name_original_script.split()
    documents: tuple[services.DocumentInput, ...] = ()
    if record.document_number:
        documents = (
            services.DocumentInput(document_type="passport", number=record.document_number),
        )
    return services.IdentityInput(
        given_names=record.given_names,
        family_name=record.family_name,
        given_names_original=" ".join(original[:-1]) if len(original) > 1 else "",
        family_name_original=original[-1] if original else "",
        original_script=_script(record.name_original_script),
        date_of_birth=record.date_of_birth,
        sex=record.sex,
        nationality=record.nationality,
        place_of_birth=record.place_of_birth,
        documents=documents,
    )


def demo_people_register(*, actor: Actor) -> int:
    """Register each generated record as a person, as a registration officer would before the
    duplicates are resolved. Does nothing once anybody is on record."""
    if Person.objects.exists():
        return 0
    records = generate(DEMO_PEOPLE, seed=DEMO_SEED)
    for record in records:
        services.person_register(actor=actor, identity=_identity(record))
    return len(records)
