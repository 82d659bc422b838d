"""Every write to people's records: registering, correcting, deciding matches, merging.

Nothing is overwritten or deleted. A correction supersedes an identity and keeps it; a merge
points one person at another and can be undone; every decision is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, human, staff_user
from safepassage.core.errors import Conflict, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import FieldErrors, required_reason
from safepassage.people import events
from safepassage.people.matching.features import all_name_keys, features
from safepassage.people.matching.normalise import BadDate, document_key, parse_date_of_birth
from safepassage.people.models import (
    Decision,
    DocumentType,
    Identity,
    IdentityDocument,
    IdentityNameKey,
    IdentitySource,
    MatchDecision,
    Merge,
    Person,
    Precision,
    Script,
    Sex,
    Verification,
)
from safepassage.people.records import identity_record


@dataclass(frozen=True)
class DocumentInput:
    document_type: str
    number: str
    issuing_country: str = ""
    expires_on: date | None = None
    verification: str = Verification.UNVERIFIED


@dataclass(frozen=True)
class IdentityInput:
    given_names: str = ""
    family_name: str = ""
    given_names_original: str = ""
    family_name_original: str = ""
    original_script: str = ""
    date_of_birth: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD, as known
    dob_estimated: bool = False
    dob_disputed: bool = False
    sex: str = ""
    nationality: str = ""
    place_of_birth: str = ""
    languages: tuple[str, ...] = ()
    documents: tuple[DocumentInput, ...] = field(default_factory=tuple)


def _clean(text: str, limit: int = 150) -> str:
    return " ".join(text.split())[:limit]


def _known_language(code: str) -> bool:
    return (
        pycountry.languages.get(alpha_2=code) is not None
        or pycountry.languages.get(alpha_3=code) is not None
    )


def _validated(data: IdentityInput) -> tuple[dict[str, object], list[DocumentInput]]:
    errors = FieldErrors()
    values: dict[str, object] = {
        "given_names": _clean(data.given_names),
        "family_name": _clean(data.family_name),
        "given_names_original": _clean(data.given_names_original),
        "family_name_original": _clean(data.family_name_original),
        "original_script": data.original_script,
        "dob_estimated": data.dob_estimated,
        "dob_disputed": data.dob_disputed,
        "sex": data.sex,
        "nationality": data.nationality.strip().upper(),
        "place_of_birth": _clean(data.place_of_birth, 120),
        "languages": sorted({code.strip().lower() for code in data.languages if code.strip()}),
    }
    if not any(
        values[name]
        for name in ("given_names", "family_name", "given_names_original", "family_name_original")
    ):
        errors.add(
            "given_names", _("Enter the person's name, in Latin letters or their own script")
        )
    if (values["given_names_original"] or values["family_name_original"]) and not values[
        "original_script"
    ]:
        errors.add("original_script", _("Choose the script the original name is written in"))
    if values["original_script"] and values["original_script"] not in Script.values:
        errors.add("original_script", _("Choose a script from the list"))
    if values["sex"] not in Sex.values:
        errors.add("sex", _("Choose from the list"))
    nationality = str(values["nationality"])
    if nationality and pycountry.countries.get(alpha_3=nationality) is None:
        errors.add("nationality", _("Choose a nationality from the list"))
    unknown = [code for code in values["languages"] if not _known_language(str(code))]  # type: ignore[attr-defined]
    if unknown:
        errors.add(
            "languages", _("Unknown language code: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    try:
        dob = parse_date_of_birth(data.date_of_birth)
    except BadDate:
        errors.add(
            "date_of_birth",
            _("Enter a real date of birth, or just the year, or the year and month"),
        )
        dob = None
    if dob is not None:
        if date(dob.year, dob.month or 1, dob.day or 1) > timezone.localdate():
            errors.add("date_of_birth", _("The date of birth must be in the past"))
        values["date_of_birth"] = date(dob.year, dob.month or 1, dob.day or 1)
        values["dob_precision"] = (
            Precision.DAY if dob.day else Precision.MONTH if dob.month else Precision.YEAR
        )
    else:
        values["date_of_birth"] = None
        values["dob_precision"] = ""
    documents = list(data.documents)
    for index, document in enumerate(documents):
        if document.document_type not in DocumentType.values:
            errors.add(f"documents.{index}.document_type", _("Choose the type of document"))
        if not document_key(document.number):
            errors.add(f"documents.{index}.number", _("Enter the document number"))
        country = document.issuing_country.strip().upper()
        if country and pycountry.countries.get(alpha_3=country) is None:
            errors.add(f"documents.{index}.issuing_country", _("Choose a country from the list"))
        if document.verification not in Verification.values:
            errors.add(f"documents.{index}.verification", _("Choose how it was checked"))
    errors.raise_if_any()
    return values, documents


def _with_search_keys(identity: Identity) -> dict[str, Any]:
    """Fill the identity's normalised keys for candidate search; returns the model's row."""
    row = features(identity_record(identity))
    identity.given_key = row["given_key"] or ""
    identity.family_key = row["family_key"] or ""
    identity.dob_year = row["dob_year"]
    return row


def identity_unsaved(*, identity: IdentityInput, source: str) -> Identity:
    """The identity ``person_register`` would record, validated the same way and with its search
    keys, but saved nowhere and belonging to nobody: for looking for candidates before an officer
    decides whether this is somebody already known. Pass its documents' first number to
    ``find_candidates`` (an unsaved identity has no document rows)."""
    values, _documents = _validated(identity)
    unsaved = Identity(source=source, **values)
    _with_search_keys(unsaved)
    return unsaved


def _save_identity(
    *,
    actor: Actor,
    person: Person,
    values: dict[str, object],
    documents: Iterable[DocumentInput],
    source: str,
    supersedes: Identity | None = None,
) -> Identity:
    identity = Identity(
        person=person,
        source=source,
        recorded_by=staff_user(actor),
        supersedes=supersedes,
        **values,
    )
    row = _with_search_keys(identity)
    identity.full_clean()
    identity.save()
    keys = all_name_keys(row)
    IdentityNameKey.objects.bulk_create(
        [
            IdentityNameKey(identity=identity, key=key[:60], dob_year=identity.dob_year)
            for key in sorted(keys)
        ]
    )
    for document in documents:
        saved = IdentityDocument(
            identity=identity,
            document_type=document.document_type,
            number=_clean(document.number, 40),
            number_key=document_key(document.number)[:40],
            issuing_country=document.issuing_country.strip().upper(),
            expires_on=document.expires_on,
            verification=document.verification,
        )
        saved.full_clean()
        saved.save()
    return identity


def person_register(
    *, actor: Actor, identity: IdentityInput, source: str = IdentitySource.REGISTRATION
) -> Person:
    """A new person with their first identity. Candidates are found afterwards and resolved by
    an officer: registering never decides on its own that two people are one."""
    require_permission(actor, Perm.RECORD_IDENTITY)
    values, documents = _validated(identity)
    with transaction.atomic():
        person = Person.objects.create(created_by=staff_user(actor))
        saved = _save_identity(
            actor=actor, person=person, values=values, documents=documents, source=source
        )
        audit_append(
            actor=actor,
            event=events.PERSON_REGISTERED,
            target=person,
            payload={"identity": saved.pk, "source": source, "documents": len(documents)},
        )
    return person


def identity_correct(
    *, actor: Actor, person: Person, identity: IdentityInput, reason: str
) -> Identity:
    """Record a corrected identity. The current one is superseded and kept, never edited."""
    require_permission(actor, Perm.RECORD_IDENTITY)
    reason = required_reason(reason, _("Say why the identity is being corrected"))
    values, documents = _validated(identity)
    with transaction.atomic():
        current = (
            Identity.objects.select_for_update()
            .filter(person=person, is_current=True)
            .order_by("-recorded_at")
            .first()
        )
        if current is None:
            raise Conflict(_("This person has no current identity to correct"))
        current.is_current = False
        current.save(update_fields=["is_current"])
        corrected = _save_identity(
            actor=actor,
            person=person,
            values=values,
            documents=documents,
            source=IdentitySource.CORRECTION,
            supersedes=current,
        )
        audit_append(
            actor=actor,
            event=events.IDENTITY_CORRECTED,
            target=person,
            payload={"superseded": current.pk, "identity": corrected.pk, "reason": reason},
        )
    return corrected


def _active(person: Person) -> Person:
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.merged_into_id is not None:
        raise Conflict(_("This record has already been merged into another person"))
    return person


def match_decide(
    *,
    actor: Actor,
    subject: Person,
    candidate: Person,
    decision: str,
    reason: str = "",
    probability: float | None = None,
) -> MatchDecision:
    """An officer decides whether the candidate is the subject. 'Same' merges the subject into
    the candidate (the established record survives); 'not the same' is remembered so the pair is
    not proposed again; 'decide later' keeps it open."""
    require_permission(actor, Perm.RESOLVE_MATCH)
    officer = human(actor, _("Whether two records are one person is an officer's decision."))
    if decision not in Decision.values:
        raise ValidationFailed(_("Choose a decision"), field="decision")
    if subject.pk == candidate.pk:
        raise ValidationFailed(_("A record cannot be matched with itself"))
    reason = " ".join(reason.split())
    if decision == Decision.NOT_SAME and len(reason) < 5:
        raise ValidationFailed(_("Say why they are not the same person"), field="reason")
    with transaction.atomic():
        subject, candidate = _active(subject), _active(candidate)
        recorded = MatchDecision.objects.create(
            subject=subject,
            candidate=candidate,
            decision=decision,
            reason=reason,
            probability=probability,
            decided_by=officer,
        )
        audit_append(
            actor=actor,
            event=events.MATCH_DECIDED,
            target=subject,
            payload={"candidate": candidate.pk, "decision": decision, "probability": probability},
        )
        if decision == Decision.SAME:
            person_merge(
                actor=actor,
                survivor=candidate,
                merged=subject,
                reason=reason or str(_("Found to be the same person at registration")),
            )
    return recorded


def person_merge(*, actor: Actor, survivor: Person, merged: Person, reason: str) -> Merge:
    """``merged`` is ``survivor``: its identities, documents and history stay where they are and
    are shown with the survivor's. Undo with ``merge_undo``."""
    require_permission(actor, Perm.RESOLVE_MATCH)
    officer = human(actor, _("Whether two records are one person is an officer's decision."))
    reason = required_reason(reason, _("Say why these are the same person"))
    if survivor.pk == merged.pk:
        raise ValidationFailed(_("A record cannot be merged with itself"))
    with transaction.atomic():
        survivor, merged = _active(survivor), _active(merged)
        merged.merged_into = survivor
        merged.save(update_fields=["merged_into"])
        merge = Merge.objects.create(
            survivor=survivor, merged=merged, reason=reason, performed_by=officer
        )
        audit_append(
            actor=actor,
            event=events.PEOPLE_MERGED,
            target=survivor,
            payload={"merged": merged.pk, "merge": merge.pk, "reason": reason},
        )
    return merge


def merge_undo(*, actor: Actor, merge: Merge, reason: str) -> Merge:
    """Separate two people who were merged. Nothing was lost, so nothing needs restoring."""
    require_permission(actor, Perm.UNDO_MERGE)
    officer = human(actor, _("Undoing a merge is an officer's decision."))
    reason = required_reason(reason, _("Say why the merge is being undone"))
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise Conflict(_("This merge has already been undone"))
        merged = Person.objects.select_for_update().get(pk=merge.merged_id)
        if merged.merged_into_id != merge.survivor_id:
            raise Conflict(_("This record has been merged differently since; undo that first"))
        merged.merged_into = None
        merged.save(update_fields=["merged_into"])
        merge.undone_at = timezone.now()
        merge.undone_by = officer
        merge.undo_reason = reason
        merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
        audit_append(
            actor=actor,
            event=events.MERGE_UNDONE,
            target=merge.survivor,
            payload={"merged": merged.pk, "merge": merge.pk, "reason": reason},
        )
    return merge
