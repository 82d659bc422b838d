"""The identity check of a visa application: who is this applicant, in the people register?

Running the check looks for the applicant among people already on record (the people app's
``find_candidates``, the same model registration uses) and among other applications, and keeps
what it found as the check's evidence. An officer then resolves it: the applicant is one of the
candidates, or a new person, or their identity cannot be established. Every run and every
resolution is kept; running the check again supersedes the current run.

How a resolution keeps the people register honest: the applicant's identity, as the application
states it, is always recorded as a person record of its own (source "visa application"), and the
check links the application to that record. When the officer finds the applicant is somebody
already known, that record is merged into theirs with ``match_decide`` ("the same person"), just
as registration does with a new arrival. So the register holds what the applicant declared beside
what was established, the merge says who decided and why, and undoing it (``merge_undo``)
separates the application's record again, which then still stands for the applicant. Attaching
the declared identity to the known person directly would have made an unverified self-declared
name their current identity, or left it out of the register altogether.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events, lifecycle
from safepassage.applications.models import (
    Application,
    ApplicationCheck,
    ApplicationStatus,
    CheckKind,
    CheckOutcome,
)
from safepassage.applications.questions import NO_DOCUMENT
from safepassage.applications.services.check_runs import start_run
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, human
from safepassage.core.countries import is_country
from safepassage.core.errors import Conflict, NotFound, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import required_reason
from safepassage.people.matching.features import IdentityRecord, features
from safepassage.people.models import Decision, DocumentType, IdentitySource, Person, Script, Sex
from safepassage.people.selectors import Candidate, find_candidates, resolve
from safepassage.people.services import (
    DocumentInput,
    IdentityInput,
    identity_unsaved,
    match_decide,
    person_register,
)

PROVIDER = "find_candidates"
CANDIDATE_LIMIT = 10
# Other applications listed as evidence, at most; and how many with the applicant's date of birth
# are compared by name (newest first) when looking for them.
OTHER_APPLICATIONS_LIMIT = 20
SAME_BIRTH_POOL = 500
NEW_PERSON = "new_person"
SAME_PERSON = "same_person"
RESOLUTIONS = (NEW_PERSON, SAME_PERSON)
RESOLVE_REASON_MINIMUM = 10
FAIL_REASON_MINIMUM = 20
# Why another application is listed: the same contact address, or the same name and birth date.
SAME_CONTACT = "same_contact"
SAME_NAME_AND_BIRTH = "same_name_and_birth"
# A check that stands for the application's identity: its current identity check, passed.
PASSED_IDENTITY = Q(
    kind=CheckKind.IDENTITY, superseded_at__isnull=True, outcome=CheckOutcome.PASSED
)

# The application's kinds of identity document, as the people register names them.
DOCUMENT_TYPES = {
    "passport": DocumentType.PASSPORT,
    "national_id": DocumentType.NATIONAL_ID,
    "travel_document": DocumentType.REFUGEE_ID,
    "other": DocumentType.OTHER,
}
_SCRIPTS = (
    ("ARABIC", Script.ARABIC),
    ("ETHIOPIC", Script.ETHIOPIC),
    ("CYRILLIC", Script.CYRILLIC),
    ("LATIN", Script.LATIN),
)


# --- From the application's answers to an identity ---------------------------------------------


def script_of(text: str) -> str:
    """The script a name is written in, by its first letter; "" when there are no letters."""
    for character in text:
        if character.isalpha():
            name = unicodedata.name(character, "")
            for word, script in _SCRIPTS:
                if name.startswith(word):
                    return script
            return Script.OTHER
    return ""


def _country(code: str) -> str:
    code = (code or "").strip().upper()
    return code if is_country(code) else ""


def _expiry(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _original_name(name: dict[str, str]) -> str:
    parts = (name.get("given_names_original"), name.get("family_name_original"))
    return " ".join(part for part in parts if part)


def application_identity(application: Application) -> IdentityInput:
    """The applicant's identity as the application states it, in the people register's terms.
    The questions do not ask for sex or place of birth, so those are not known."""
    answers = application.answers
    name = answers.get("name", {})
    original = _original_name(name)
    born = answers.get("date-of-birth", {})
    sex = answers.get("sex", {}).get("sex", "")
    documents: tuple[DocumentInput, ...] = ()
    kind = answers.get("document", {}).get("document_kind", "")
    details = answers.get("document-details", {})
    if kind and kind != NO_DOCUMENT and details.get("number") and kind in DOCUMENT_TYPES:
        documents = (
            DocumentInput(
                document_type=DOCUMENT_TYPES[kind],
                number=details["number"],
                issuing_country=_country(details.get("issuing_country", "")),
                expires_on=_expiry(details.get("expires_on", "")),
            ),
        )
    return IdentityInput(
        given_names=name.get("given_names", ""),
        family_name=name.get("family_name", ""),
        given_names_original=name.get("given_names_original", ""),
        family_name_original=name.get("family_name_original", ""),
        original_script=script_of(original),
        date_of_birth=application.date_of_birth or born.get("date_of_birth", ""),
        dob_estimated=bool(born.get("estimated")),
        sex=sex if sex in Sex.values else "",
        nationality=_country(application.nationality),
        documents=documents,
    )


# --- Reading checks ----------------------------------------------------------------------------


def linked_person(application: Application) -> Person | None:
    """The person the applicant was found to be (the current passed identity check's), followed
    through merges to the record that stands for them now; None until the check has passed."""
    check = (
        application.checks.filter(PASSED_IDENTITY, person__isnull=False)
        .select_related("person")
        .first()
    )
    return resolve(check.person) if check is not None and check.person is not None else None


def _earlier_person(application: Application) -> Person | None:
    """The record an earlier run linked this application to, if any: a run again searches as
    that person, so their own record and the people already ruled out are not proposed."""
    check = (
        application.checks.filter(kind=CheckKind.IDENTITY, person__isnull=False)
        .select_related("person")
        .order_by("-started_at", "-pk")
        .first()
    )
    return check.person if check is not None else None


def _family_ids(application: Application) -> set[int]:
    """This application and those sent with it (a parent's and their children's)."""
    lead_id = application.lead_id or application.pk
    return {
        lead_id,
        *Application.objects.filter(lead_id=lead_id).values_list("pk", flat=True),
    }


def _people_trees(people: Iterable[Person]) -> dict[int, int]:
    """Every record merged into each of ``people`` (at any depth), mapped to that person's id:
    one query per level of merging, for all of them together."""
    owner = {person.pk: person.pk for person in people}
    frontier = list(owner)
    while frontier:
        merged = list(
            Person.objects.filter(merged_into_id__in=frontier).values_list("pk", "merged_into_id")
        )
        frontier = []
        for pk, into in merged:
            if pk not in owner:
                owner[pk] = owner[into]
                frontier.append(pk)
    return owner


def _linked_applications(
    people: list[Person], exclude: set[int]
) -> dict[int, list[dict[str, str]]]:
    """For each person, the other applications whose current identity check was linked to them
    (or to a record since merged into them)."""
    owner = _people_trees(people)
    linked: dict[int, list[dict[str, str]]] = {person.pk: [] for person in people}
    rows = (
        ApplicationCheck.objects.filter(PASSED_IDENTITY, person_id__in=list(owner))
        .exclude(application_id__in=exclude)
        .values_list("person_id", "application__reference", "application__public_id")
        .order_by("-application__submitted_at")
    )
    for person_id, reference, public_id in rows:
        linked[owner[person_id]].append({"reference": reference or "", "public_id": str(public_id)})
    return linked


def whole_name_keys(answers: dict[str, Any]) -> set[str]:
    """The applicant's whole name squashed to consonant skeletons, in either order and from
    either script, as the people register compares names (people.matching)."""
    name = answers.get("name", {})
    original = _original_name(name)
    row = features(
        IdentityRecord(
            record_id="name",
            given_names=name.get("given_names", ""),
            family_name=name.get("family_name", ""),
            name_original_script=original,
        )
    )
    return set(row["whole_keys"] or [])


def _other_applications(
    application: Application, family: set[int], names: set[str]
) -> list[dict[str, Any]]:
    """Other sent applications (outside the applicant's ``family``) that may be the same person
    and are not yet linked to anyone in the register: the same contact address (whatever name
    they give, and whether linked or not: a second name from one address is worth an officer's
    eye), or the same name (compared as the register compares them) and date of birth. Each is
    an indexed query."""
    sent = (
        Application.objects.exclude(status=ApplicationStatus.DRAFT)
        .exclude(pk__in=family)
        .annotate(
            linked=Exists(
                ApplicationCheck.objects.filter(PASSED_IDENTITY, application=OuterRef("pk"))
            )
        )
    )
    found: dict[int, dict[str, Any]] = {}

    def note(other: Application, reason: str, *, linked: bool) -> None:
        entry = found.setdefault(
            other.pk,
            {
                "reference": other.reference,
                "public_id": str(other.public_id),
                "status": other.status,
                "submitted_at": other.submitted_at.isoformat() if other.submitted_at else "",
                "linked_to_person": linked,
                "reasons": [],
            },
        )
        entry["reasons"].append(reason)

    for other in sent.filter(applicant_id=application.applicant_id).order_by("-submitted_at")[
        :OTHER_APPLICATIONS_LIMIT
    ]:
        note(other, SAME_CONTACT, linked=other.linked)
    if application.date_of_birth and names:
        same_birth = list(
            sent.filter(date_of_birth=application.date_of_birth)
            .only("pk", "reference", "public_id", "status", "submitted_at", "answers")
            .exclude(applicant_id=application.applicant_id)
            .filter(linked=False)
            .order_by("-submitted_at")[:SAME_BIRTH_POOL]
        )
        for other in same_birth:
            if len(found) >= OTHER_APPLICATIONS_LIMIT:
                break
            if whole_name_keys(other.answers) & names:
                note(other, SAME_NAME_AND_BIRTH, linked=False)
    return list(found.values())


def _candidate_evidence(candidate: Candidate, applications: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "person": str(candidate.person.public_id),
        "person_id": candidate.person.pk,
        "identity": candidate.identity.pk,
        "probability": round(candidate.probability, 6),
        "match_weight": round(candidate.match_weight, 3),
        "fields": [
            {"comparison": item.comparison, "level": item.level, "weight": item.weight}
            for item in candidate.fields
        ],
        "applications": applications,
    }


# --- Writes ------------------------------------------------------------------------------------


def _check_closed(application: Application) -> Conflict:
    return Conflict(
        _("This application is “%(status)s”: its identity check can no longer be run or changed.")
        % {"status": ApplicationStatus(application.status).label},
        code="application_not_open",
    )


def identity_check_run(*, actor: Actor, application: Application) -> ApplicationCheck:
    """Run the identity check: look for the applicant among people on record and other
    applications, and keep what was found as a new current check, pending an officer.

    It stays pending even when nobody is found. That nobody on record looks like the applicant
    is the model's finding; that the applicant is a new person is an officer's decision, made
    with the application in front of them (a misspelt name or a wrong year can hide somebody the
    officer would recognise), and it is that decision which creates their person record. So the
    check is always one recorded human step, with who decided and when.
    """
    require_permission(actor, Perm.DECIDE_APPLICATION)
    require_permission(actor, Perm.VIEW_PERSON)
    lifecycle.require_undecided(application, _check_closed)
    stated = application_identity(application)
    try:
        searched = identity_unsaved(identity=stated, source=IdentitySource.VISA_APPLICATION)
    except ValidationFailed as error:
        problems = "; ".join(
            f"{field}: {message}"
            for field, messages in error.field_errors().items()
            for message in messages
        )
        raise Conflict(
            _(
                "The application's answers do not make an identity that can be searched "
                "(%(problems)s)."
            )
            % {"problems": problems},
            code="identity_not_searchable",
        ) from error
    earlier = _earlier_person(application)
    if earlier is not None:
        searched.person = earlier
    document = stated.documents[0].number if stated.documents else ""
    candidates = find_candidates(
        actor=actor, identity=searched, limit=CANDIDATE_LIMIT, document_number=document
    )
    family = _family_ids(application)
    linked = _linked_applications([item.person for item in candidates], family)
    others = _other_applications(application, family, whole_name_keys(application.answers))
    shown = {entry["public_id"] for item in linked.values() for entry in item}
    found = [_candidate_evidence(item, linked[item.person.pk]) for item in candidates]
    others = [item for item in others if item["public_id"] not in shown]
    evidence: dict[str, Any] = {
        "candidates": found,
        "other_applications": others,
        "earlier_person": str(earlier.public_id) if earlier is not None else None,
        "document_searched": bool(document),
    }
    with transaction.atomic():
        locked = lifecycle.lock_undecided(application, _check_closed)
        check, current = start_run(
            locked,
            CheckKind.IDENTITY,
            actor=actor,
            outcome=CheckOutcome.PENDING,
            provider=PROVIDER,
            evidence=evidence,
        )
        audit_append(
            actor=actor,
            event=events.IDENTITY_CHECK_RUN,
            target=locked,
            payload={
                "check": check.pk,
                "superseded": current.pk if current is not None else None,
                "candidates": len(found),
                "other_applications": len(others),
            },
        )
    application.status = locked.status
    return check


def _locked_pending(application: Application, check: ApplicationCheck) -> ApplicationCheck:
    """The check, locked, which must be this application's current pending identity check."""
    locked = ApplicationCheck.objects.select_for_update().filter(pk=check.pk).first()
    if (
        locked is None
        or locked.application_id != application.pk
        or locked.kind != CheckKind.IDENTITY
    ):
        raise NotFound()
    if locked.superseded_at is not None:
        raise Conflict(
            _("This identity check has been run again since. Resolve the current one."),
            code="check_superseded",
        )
    if locked.outcome != CheckOutcome.PENDING:
        raise Conflict(
            _("This identity check has already been resolved (“%(outcome)s”).")
            % {"outcome": CheckOutcome(locked.outcome).label},
            code="check_resolved",
        )
    return locked


def _person(public_id: str) -> Person:
    person = Person.objects.filter(public_id=public_id).first()
    if person is None:
        raise Conflict(_("A person in this check's evidence is no longer on record. Run it again."))
    return resolve(person)


def identity_check_resolve(
    *,
    actor: Actor,
    check: ApplicationCheck,
    decision: str,
    person_public_id: str | None = None,
    reason: str = "",
) -> ApplicationCheck:
    """An officer resolves a pending identity check, which then passes.

    ``same_person``: the applicant is ``person_public_id``, one of the check's candidates. The
    application's record (made now, or by an earlier run) is merged into theirs.
    ``new_person``: the applicant is none of the candidates. Their record is made now from the
    application (an earlier run's is kept instead, if there is one), and each candidate shown is
    recorded as not the same person, so the register does not propose them again.

    Only the decision about the applicant is recorded: choosing one candidate says nothing about
    whether the others are that candidate, so no decision is recorded between them."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    require_permission(actor, Perm.RECORD_IDENTITY)
    require_permission(actor, Perm.RESOLVE_MATCH)
    officer = human(actor, _("Who an applicant is, is an officer's decision."))
    if decision not in RESOLUTIONS:
        raise ValidationFailed(
            _("Choose one of the people listed, or that the applicant is a new person"),
            field="decision",
        )
    candidates = check.evidence.get("candidates", [])
    reason = " ".join((reason or "").split())
    if (decision == SAME_PERSON or candidates) and len(reason) < RESOLVE_REASON_MINIMUM:
        raise ValidationFailed(
            _("Say why, in at least %(count)s characters") % {"count": RESOLVE_REASON_MINIMUM},
            field="reason",
        )
    chosen: dict[str, Any] | None = None
    if decision == SAME_PERSON:
        chosen = next(
            (item for item in candidates if item["person"] == (person_public_id or "")), None
        )
        if chosen is None:
            raise ValidationFailed(_("Choose one of the people this check found"), field="decision")
    with transaction.atomic():
        application = lifecycle.lock_undecided(check.application, _check_closed)
        locked = _locked_pending(application, check)
        earlier = locked.evidence.get("earlier_person")
        if earlier:
            record = Person.objects.filter(public_id=earlier).first()
            if record is None:
                raise Conflict(_("The applicant's earlier record is no longer on record."))
        else:
            record = person_register(
                actor=actor,
                identity=application_identity(application),
                source=IdentitySource.VISA_APPLICATION,
            )
        applicant = resolve(record)
        if chosen is not None:
            person = _person(chosen["person"])
            if person.pk != applicant.pk:
                match_decide(
                    actor=actor,
                    subject=applicant,
                    candidate=person,
                    decision=Decision.SAME,
                    reason=reason,
                    probability=chosen["probability"],
                )
        else:
            ruled_out = set()
            for item in candidates:
                other = _person(item["person"])
                if other.pk == applicant.pk or other.pk in ruled_out:
                    continue
                ruled_out.add(other.pk)
                match_decide(
                    actor=actor,
                    subject=applicant,
                    candidate=other,
                    decision=Decision.NOT_SAME,
                    reason=reason,
                    probability=item["probability"],
                )
        locked.outcome = CheckOutcome.PASSED
        locked.person = record
        locked.resolved_by = officer
        locked.resolved_at = timezone.now()
        locked.resolution_reason = reason
        locked.save(
            update_fields=["outcome", "person", "resolved_by", "resolved_at", "resolution_reason"]
        )
        standing = resolve(Person.objects.get(pk=record.pk))
        audit_append(
            actor=actor,
            event=events.IDENTITY_CHECK_RESOLVED,
            target=application,
            payload={
                "check": locked.pk,
                "decision": decision,
                "person": str(standing.public_id),
                "record": str(record.public_id),
                "record_made": not earlier,
                "candidates": len(candidates),
            },
        )
    return locked


def identity_check_fail(*, actor: Actor, check: ApplicationCheck, reason: str) -> ApplicationCheck:
    """The officer finds the applicant's identity cannot be established, or is false. The check
    fails; the reason is kept on it for the decision and any review."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    officer = human(actor, _("Whether an identity can be established is an officer's decision."))
    reason = required_reason(
        reason,
        _("Say why the identity cannot be established, in at least %(count)s characters")
        % {"count": FAIL_REASON_MINIMUM},
        minimum=FAIL_REASON_MINIMUM,
    )
    with transaction.atomic():
        application = lifecycle.lock_undecided(check.application, _check_closed)
        locked = _locked_pending(application, check)
        locked.outcome = CheckOutcome.FAILED
        locked.resolved_by = officer
        locked.resolved_at = timezone.now()
        locked.resolution_reason = reason
        locked.save(update_fields=["outcome", "resolved_by", "resolved_at", "resolution_reason"])
        audit_append(
            actor=actor,
            event=events.IDENTITY_CHECK_FAILED,
            target=application,
            payload={"check": locked.pk},
        )
    return locked


__all__ = [
    "NEW_PERSON",
    "SAME_PERSON",
    "application_identity",
    "identity_check_fail",
    "identity_check_resolve",
    "identity_check_run",
    "linked_person",
]
