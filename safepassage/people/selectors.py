"""Reading people's records, scoped and logged, and finding who a new record might be."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from safepassage.audit.services import record_read
from safepassage.core.actors import Actor
from safepassage.core.errors import NotFound
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.people.matching import realtime
from safepassage.people.matching.features import all_name_keys, features
from safepassage.people.matching.realtime import FieldAgreement
from safepassage.people.models import (
    Decision,
    Identity,
    IdentityDocument,
    IdentityNameKey,
    MatchDecision,
    Merge,
    Person,
)
from safepassage.people.records import first_document_numbers, identity_record

# How many stored identities at most are scored for one new record.
CANDIDATE_POOL = 300
YEARS_EITHER_SIDE = 2
# Below this chance a stored person is not put to the officer: with the name, date of birth and
# place all disagreeing, showing them would only bury the real candidates.
CANDIDATE_FLOOR = 0.01
REGISTER_SIZE_CACHE_KEY = "people:register-size"
REGISTER_SIZE_SECONDS = 300


def resolve(person: Person) -> Person:
    """The person a record stands for now, following merges (without a query for a step whose
    record was loaded along, as with ``select_related("person__merged_into")``)."""
    seen = set()
    while person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        merged_into = person.merged_into
        assert merged_into is not None  # merged_into_id is set
        person = merged_into
    return person


def people_in(person: Person) -> list[Person]:
    """The person and every record merged into them, at any depth."""
    found, frontier = [person], [person.pk]
    while frontier:
        merged = list(Person.objects.filter(merged_into_id__in=frontier))
        found.extend(merged)
        frontier = [item.pk for item in merged]
    return found


def person_get(*, actor: Actor, person_id: int) -> Person:
    """One person's record, for display: the read is recorded in the access log."""
    require_permission(actor, Perm.VIEW_PERSON)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    record_read(actor=actor, target=person, purpose="person_record")
    return person


def current_identity(person: Person) -> Identity | None:
    return (
        Identity.objects.filter(person=person, is_current=True)
        .prefetch_related("documents")
        .order_by("-recorded_at")
        .first()
    )


def identities_of(person: Person) -> QuerySet[Identity]:
    """Every identity of a person and of the records merged into them, newest first."""
    return (
        Identity.objects.filter(person__in=people_in(person))
        .select_related("recorded_by", "person")
        .prefetch_related("documents")
        .order_by("-recorded_at")
    )


def merges_of(person: Person) -> QuerySet[Merge]:
    return Merge.objects.filter(Q(survivor=person) | Q(merged=person)).select_related(
        "performed_by", "undone_by"
    )


def person_search(*, actor: Actor, text: str = "") -> QuerySet[Identity]:
    """Current identities of people who have not been merged away, by name or document."""
    require_permission(actor, Perm.VIEW_PERSON)
    identities = Identity.objects.filter(is_current=True, person__merged_into__isnull=True)
    text = " ".join(text.split())
    if text:
        row = features(identity_record(Identity(given_names=text), record_id="search"))
        keys = all_name_keys(row)
        identities = identities.filter(
            Q(name_keys__key__in=keys)
            | Q(documents__number_key=row["document"] or text.upper())
            | Q(given_names__icontains=text)
            | Q(family_name__icontains=text)
        ).distinct()
    return identities.order_by("-recorded_at")


@dataclass(frozen=True)
class Candidate:
    person: Person
    identity: Identity
    probability: float
    match_weight: float
    fields: tuple[FieldAgreement, ...]


def _pool(identity: Identity, row: dict[str, Any]) -> list[int]:
    """Stored identities that may be the same person, the most promising first, at most
    CANDIDATE_POOL of them. Each tier is an indexed query, and a common name only fills the
    pool from its later tiers once the specific ones have had their place:

    1. the same document number;
    2. both name parts (in either box) and born within two years;
    3. two or more name skeletons in common, born within two years;
    4. both name parts, any year (a year of birth written wrong);
    5. one name skeleton in common, born within two years.
    """
    keys = sorted(all_name_keys(row))
    year = identity.dob_year
    near = Q()
    if year is not None:
        near = Q(dob_year__isnull=True) | Q(
            dob_year__gte=year - YEARS_EITHER_SIDE, dob_year__lte=year + YEARS_EITHER_SIDE
        )
    ids: dict[int, None] = {}

    def take(query: QuerySet[Any, int]) -> None:
        room = CANDIDATE_POOL - len(ids)
        if room <= 0:
            return
        # Enough rows to fill the room even if all those already taken come back again.
        for found in query[: room + len(ids)]:
            if len(ids) >= CANDIDATE_POOL:
                break
            ids.setdefault(found)

    if row["document"]:
        take(
            IdentityDocument.objects.filter(number_key=row["document"]).values_list(
                "identity_id", flat=True
            )
        )
    both_names = Identity.objects.filter(given_key__in=keys, family_key__in=keys, is_current=True)
    take(both_names.filter(near).values_list("id", flat=True))
    near_keys = IdentityNameKey.objects.filter(near, key__in=keys)
    take(
        near_keys.values("identity_id")
        .annotate(shared=Count("key", distinct=True))
        .filter(shared__gte=2)
        .order_by("-shared")
        .values_list("identity_id", flat=True)
    )
    take(both_names.values_list("id", flat=True))
    take(near_keys.values_list("identity_id", flat=True).distinct())
    return list(ids)


def register_size() -> int:
    """How many current identities are stored, counted at most every few minutes: the count
    only sets the prior chance of a match, which a few new registrations barely move."""
    size = cache.get(REGISTER_SIZE_CACHE_KEY)
    if size is None:
        size = Identity.objects.filter(is_current=True).count()
        cache.set(REGISTER_SIZE_CACHE_KEY, size, timeout=REGISTER_SIZE_SECONDS)
    return int(size)


def find_candidates(
    *,
    actor: Actor,
    identity: Identity,
    limit: int = 10,
    minimum_probability: float = CANDIDATE_FLOOR,
    document_number: str | None = None,
) -> list[Candidate]:
    """Existing people who may be the person of ``identity``, most likely first, each with the
    match probability and how each field agreed. People an officer has said are not this person
    are not proposed again, nor is anybody the model finds almost certainly somebody else.
    ``document_number`` is for an unsaved identity, which has no document rows to read it from."""
    require_permission(actor, Perm.VIEW_PERSON)
    subject = identity_record(identity, record_id="subject", document_number=document_number)
    row = features(subject)
    subject_people = set()
    if identity.person_id:
        subject_people = {item.pk for item in people_in(resolve(identity.person))}
    rejected = set()
    if subject_people:
        for decision in MatchDecision.objects.filter(
            Q(subject_id__in=subject_people) | Q(candidate_id__in=subject_people)
        ).order_by("decided_at"):
            pair = (decision.subject_id, decision.candidate_id)
            other = pair[1] if pair[0] in subject_people else pair[0]
            if decision.decision == Decision.NOT_SAME:
                rejected.add(other)
            elif other in rejected:
                rejected.discard(other)
    stored = list(
        Identity.objects.filter(id__in=_pool(identity, row), is_current=True)
        .exclude(person_id__in=subject_people)
        .select_related("person")[:CANDIDATE_POOL]
    )
    numbers = first_document_numbers([item.pk for item in stored])
    scores = realtime.score(
        subject,
        [identity_record(item, document_number=numbers.get(item.pk, "")) for item in stored],
        population=register_size(),
        minimum_probability=minimum_probability,
    )
    by_id = {str(item.pk): item for item in stored}
    best: dict[int, Candidate] = {}
    for score in scores:
        candidate_identity = by_id[score.candidate_id]
        person = resolve(candidate_identity.person)
        if person.pk in subject_people or person.pk in rejected:
            continue
        if person.pk not in best or best[person.pk].probability < score.probability:
            best[person.pk] = Candidate(
                person=person,
                identity=candidate_identity,
                probability=score.probability,
                match_weight=score.match_weight,
                fields=score.fields,
            )
    ranked = sorted(best.values(), key=lambda item: item.probability, reverse=True)
    return ranked[:limit]
