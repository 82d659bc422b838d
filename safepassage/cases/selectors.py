"""Reads of arrivals and asylum cases, scoped to the actor's locations."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import record_read
from safepassage.cases.models import (
    Allocation,
    Arrival,
    AsylumCase,
    CaseTransition,
    Stage,
    StageSeparationWaiver,
)
from safepassage.core.actors import Actor, staff_user
from safepassage.core.errors import NotFound
from safepassage.core.models import Location, User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import NATIONAL_ROLES, Perm

CASE_NOT_FOUND = _("There is no case with this reference at your locations.")


def actor_location_ids(actor: Actor) -> list[int] | None:
    """The locations whose cases the actor works on, or None for national roles and the
    service itself (every location)."""
    user = staff_user(actor)
    if user is None or any(user.has_role(role) for role in NATIONAL_ROLES):
        return None
    return list(user.locations.values_list("pk", flat=True))


def _in_scope(actor: Actor, cases: QuerySet[AsylumCase]) -> QuerySet[AsylumCase]:
    locations = actor_location_ids(actor)
    return cases if locations is None else cases.filter(location_id__in=locations)


def case_list(
    *,
    actor: Actor,
    status: str = "",
    location: Location | None = None,
    allocated_to: User | None = None,
) -> QuerySet[AsylumCase]:
    """Cases at the actor's locations; ``allocated_to`` narrows them to the stages an officer
    holds now (their own work)."""
    require_permission(actor, Perm.VIEW_CASE)
    cases = _in_scope(actor, AsylumCase.objects.select_related("location"))
    if status:
        cases = cases.filter(status=status)
    if location is not None:
        cases = cases.filter(location=location)
    if allocated_to is not None:
        cases = cases.filter(
            allocations__officer=allocated_to, allocations__ended_at__isnull=True
        ).distinct()
    return cases.order_by("-registered_at", "-pk")


def case_get(*, actor: Actor, case_id: int, purpose: str = "view") -> AsylumCase:
    """One case the actor may see (out of scope: not found), recorded as a read."""
    require_permission(actor, Perm.VIEW_CASE)
    case = (
        _in_scope(actor, AsylumCase.objects.select_related("location", "arrival", "person"))
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound(CASE_NOT_FOUND)
    record_read(actor=actor, target=case, purpose=purpose)
    return case


def arrival_get(*, actor: Actor, arrival_id: int) -> Arrival:
    require_permission(actor, Perm.VIEW_CASE)
    arrivals = Arrival.objects.select_related("location")
    locations = actor_location_ids(actor)
    if locations is not None:
        arrivals = arrivals.filter(location_id__in=locations)
    arrival = arrivals.filter(pk=arrival_id).first()
    if arrival is None:
        raise NotFound(_("There is no arrival like this at your locations."))
    return arrival


def party_of(arrival: Arrival) -> QuerySet[AsylumCase]:
    return arrival.cases.select_related("family_lead").order_by("registered_at", "pk")


def transitions_of(case: AsylumCase) -> QuerySet[CaseTransition]:
    return case.transitions.select_related("actor", "evaluation").order_by("at", "pk")


def current_allocation(case: AsylumCase, stage: str) -> Allocation | None:
    return (
        case.allocations.filter(stage=stage, ended_at__isnull=True)
        .select_related("officer")
        .first()
    )


def allocations_of(case: AsylumCase) -> QuerySet[Allocation]:
    return case.allocations.select_related("officer", "allocated_by").order_by("allocated_at")


def waiver_in_force(location_id: int, on: date) -> StageSeparationWaiver | None:
    return (
        StageSeparationWaiver.objects.filter(
            location_id=location_id, revoked_at__isnull=True, valid_until__gte=on
        )
        .order_by("-granted_at")
        .first()
    )


def waivers_at(*, actor: Actor) -> QuerySet[StageSeparationWaiver]:
    require_permission(actor, Perm.WAIVE_STAGE_SEPARATION)
    waivers = StageSeparationWaiver.objects.select_related("location", "granted_by", "revoked_by")
    locations = actor_location_ids(actor)
    return waivers if locations is None else waivers.filter(location_id__in=locations)


def officers_for(*, actor: Actor, case: AsylumCase, stage: str) -> QuerySet[User]:
    """Active staff at the case's location who hold the permission the stage needs."""
    require_permission(actor, Perm.ALLOCATE_WORK)
    permission = STAGE_PERMISSION[stage].split(".")[1]
    return (
        User.objects.filter(
            is_active=True,
            locations=case.location,
            groups__permissions__codename=permission,
        )
        .exclude(interpreter_record__isnull=False)
        .distinct()
        .order_by("full_name")
    )


STAGE_PERMISSION: dict[str, str] = {
    Stage.SCREENING: Perm.CONDUCT_INTERVIEW,
    Stage.ROUTING: Perm.ROUTE_CASE,
}
