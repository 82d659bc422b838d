"""Between stored identities and the matching model's records."""

from __future__ import annotations

from safepassage.people.matching.features import IdentityRecord
from safepassage.people.matching.normalise import DateOfBirth
from safepassage.people.models import Identity, IdentityDocument, Precision


def first_document_numbers(identity_ids: list[int]) -> dict[int, str]:
    """Each identity's first document number (the one identity_record uses), in one query."""
    numbers: dict[int, str] = {}
    rows = IdentityDocument.objects.filter(identity_id__in=identity_ids).order_by("pk")
    for identity_id, number in rows.values_list("identity_id", "number"):
        numbers.setdefault(identity_id, number)
    return numbers


def identity_record(
    identity: Identity, record_id: str | None = None, *, document_number: str | None = None
) -> IdentityRecord:
    """The model's record of a stored identity. ``document_number``, when the caller has
    already looked it up for many identities at once, saves a query each."""
    dob = None
    if identity.date_of_birth is not None:
        born = identity.date_of_birth
        dob = DateOfBirth(
            born.year,
            born.month if identity.dob_precision != Precision.YEAR else None,
            born.day if identity.dob_precision == Precision.DAY else None,
        )
    if document_number is None:
        # Sorted here, not in SQL, so that documents prefetched by the caller are used.
        documents = (
            sorted(identity.documents.all(), key=lambda item: item.pk) if identity.pk else []
        )
        document_number = documents[0].number if documents else ""
    return IdentityRecord(
        record_id=record_id or str(identity.pk),
        given_names=identity.given_names,
        family_name=identity.family_name,
        name_original_script=identity.full_name_original,
        date_of_birth=dob,
        sex=identity.sex if identity.sex in ("F", "M") else "",
        nationality=identity.nationality,
        place_of_birth=identity.place_of_birth,
        document_number=document_number,
    )
