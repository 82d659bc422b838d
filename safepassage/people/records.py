"""Between stored identities and the matching model's records."""

from __future__ import annotations

from safepassage.people.matching.features import IdentityRecord
from safepassage.people.matching.normalise import DateOfBirth
from safepassage.people.models import Identity, Precision


def identity_record(identity: Identity, record_id: str | None = None) -> IdentityRecord:
    dob = None
    if identity.date_of_birth is not None:
        born = identity.date_of_birth
        dob = DateOfBirth(
            born.year,
            born.month if identity.dob_precision != Precision.YEAR else None,
            born.day if identity.dob_precision == Precision.DAY else None,
        )
    documents = list(identity.documents.all()) if identity.pk else []
    return IdentityRecord(
        record_id=record_id or str(identity.pk),
        given_names=identity.given_names,
        family_name=identity.family_name,
        name_original_script=identity.full_name_original,
        date_of_birth=dob,
        sex=identity.sex if identity.sex in ("F", "M") else "",
        nationality=identity.nationality,
        place_of_birth=identity.place_of_birth,
        document_number=documents[0].number if documents else "",
    )
