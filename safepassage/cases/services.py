"""Registering arrivals, opening cases, allocating stages, routing and closing.

Stages have separate owners: the officer who registered a claimant does not interview them, and
the officer who interviewed them does not route the case, unless a location manager has waived
that for the location, in writing and until a date (``waiver_grant``). Every status change goes
through ``cases.lifecycle.transition_case``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications.grants import GrantFound
from safepassage.audit.services import audit_append
from safepassage.cases import events
from safepassage.cases.facts import case_facts
from safepassage.cases.lifecycle import lock_case, policy_action, transition_case
from safepassage.cases.models import (
    Allocation,
    Arrival,
    ArrivalRoute,
    AsylumCase,
    CaseStatus,
    ChildStatus,
    Relationship,
    Route,
    Stage,
    StageSeparationWaiver,
)
from safepassage.cases.references import new_case_reference
from safepassage.cases.selectors import (
    STAGE_PERMISSION,
    actor_location_ids,
    current_allocation,
    waiver_in_force,
)
from safepassage.core.actors import Actor, human
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.models import Location, User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm, Role
from safepassage.core.validation import FieldErrors, required_reason
from safepassage.people.models import Person
from safepassage.people.services import IdentityInput, person_register
from safepassage.policy.engine import Outcome
from safepassage.policy.services import gated_transaction, london_today, policy_gate
from safepassage.workforce.selectors import accreditations_held

CLOCK_SKEW = timedelta(minutes=10)
OLDEST_ARRIVAL = timedelta(days=366)
REASON_MINIMUM = 20
# The statuses in which each stage can be (re)allocated.
ALLOCATABLE_FROM: dict[str, tuple[str, ...]] = {
    Stage.SCREENING: (CaseStatus.REGISTERED, CaseStatus.SCREENING_SCHEDULED),
    Stage.ROUTING: (CaseStatus.SCREENED,),
}
DOCUMENT_KINDS = ("passport", "national_id", "birth_certificate", "travel_document", "other")


def _require_location(actor: Actor, location_id: int) -> None:
    locations = actor_location_ids(actor)
    if locations is not None and location_id not in locations:
        raise PermissionDenied(_("You do not work at this location."))


# --- Registration --------------------------------------------------------------------------


def arrival_register(
    *,
    actor: Actor,
    location: Location,
    arrived_at: datetime,
    route: str,
    route_details: str = "",
    submission_key: str,
) -> Arrival:
    """Record that a party arrived. Submitting the same form twice finds the first arrival."""
    require_permission(actor, Perm.REGISTER_ARRIVAL)
    officer = human(actor)
    _require_location(actor, location.pk)
    existing = Arrival.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    problems = FieldErrors()
    now = timezone.now()
    if not location.is_active:
        problems.add("location", _("This location is closed"))
    if arrived_at > now + CLOCK_SKEW:
        problems.add("arrived_at", _("The time of arrival must be in the past"))
    elif arrived_at < now - OLDEST_ARRIVAL:
        problems.add("arrived_at", _("The time of arrival must be within the last year"))
    if route not in ArrivalRoute.values:
        problems.add("route", _("Choose how they arrived"))
    route_details = " ".join(route_details.split())
    if route == ArrivalRoute.OTHER and not route_details:
        problems.add("route_details", _("Say how they arrived"))
    if len(route_details) > 500:
        problems.add("route_details", _("Use 500 characters or fewer"))
    if not submission_key or len(submission_key) > 64:
        problems.add("submission_key", _("The form has expired. Start again."))
    problems.raise_if_any()
    try:
        with transaction.atomic():
            arrival = Arrival.objects.create(
                location=location,
                arrived_at=arrived_at,
                route=route,
                route_details=route_details,
                registered_by=officer,
                submission_key=submission_key,
            )
            audit_append(
                actor=actor,
                event=events.ARRIVAL_REGISTERED,
                target=arrival,
                payload={"location": location.pk, "route": route},
            )
    except IntegrityError:  # the same form, submitted twice at once
        return Arrival.objects.get(submission_key=submission_key)
    return arrival


def _documents(documents: Sequence[dict[str, str]], problems: FieldErrors) -> list[dict[str, str]]:
    cleaned = []
    for document in documents:
        kind = document.get("kind", "")
        if kind not in DOCUMENT_KINDS:
            problems.add("documents", _("Choose the type of each document held"))
            continue
        cleaned.append(
            {
                "kind": kind,
                "number": " ".join(document.get("number", "").split())[:40],
                "issuing_country": document.get("issuing_country", "")[:3].upper(),
            }
        )
    return cleaned


def claimant_add(
    *,
    actor: Actor,
    arrival: Arrival,
    submission_key: str,
    identity: IdentityInput | None = None,
    grant: GrantFound | None = None,
    claims_minor: bool,
    child_status: str,
    relationship: str,
    family_lead: AsylumCase | None = None,
    documents: Sequence[dict[str, str]] = (),
) -> AsylumCase:
    """Open an asylum case for one claimant of an arrival.

    The person is either new (``identity``: registered, then matched by an officer on the case
    page) or the holder of a safe-passage grant (``grant``: the person its identity check
    linked). A child is accompanied only by someone in the party.
    """
    require_permission(actor, Perm.REGISTER_ARRIVAL)
    officer = human(actor)
    _require_location(actor, arrival.location_id)
    existing = AsylumCase.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing
    problems = FieldErrors()
    if child_status not in ChildStatus.values:
        problems.add("child_status", _("Say whether this is an adult or a child"))
    elif claims_minor and child_status == ChildStatus.ADULT:
        problems.add(
            "child_status",
            _(
                "Someone who says they are under 18 is treated as a child until a lawful age "
                "assessment says otherwise: say whether they are accompanied"
            ),
        )
    if relationship not in Relationship.values:
        problems.add("relationship", _("Choose their relationship to the family"))
    elif relationship in (Relationship.LEAD, Relationship.NOT_FAMILY):
        if family_lead is not None:
            problems.add("family_lead", _("The main claimant is not part of another family"))
    elif family_lead is None:
        problems.add("family_lead", _("Choose the main claimant of their family"))
    if family_lead is not None and family_lead.arrival_id != arrival.pk:
        problems.add("family_lead", _("Choose someone who arrived with them"))
    if child_status == ChildStatus.ACCOMPANIED_CHILD and family_lead is None:
        problems.add(
            "family_lead",
            _("An accompanied child arrives with a parent or guardian: choose them"),
        )
    if (identity is None) == (grant is None):
        problems.add("identity", _("Enter their identity, or register the holder of the grant"))
    person: Person | None = None
    if grant is not None:
        if arrival.route != ArrivalRoute.SAFE_PASSAGE:
            problems.add("grant", _("Only an arrival on a safe-passage visa has a grant"))
        person = grant.person
        if person is None:
            problems.add(
                "grant",
                _("The grant's identity check linked nobody: enter their identity instead"),
            )
    cleaned_documents = _documents(documents, problems)
    if not submission_key or len(submission_key) > 64:
        problems.add("submission_key", _("The form has expired. Start again."))
    problems.raise_if_any()
    with transaction.atomic():
        if person is None:
            assert identity is not None
            person = person_register(actor=actor, identity=identity)
        try:
            with transaction.atomic():
                case = AsylumCase.objects.create(
                    reference=new_case_reference(),
                    arrival=arrival,
                    location_id=arrival.location_id,
                    person=person,
                    claims_minor=claims_minor,
                    child_status=child_status,
                    relationship=relationship,
                    family_lead=family_lead,
                    grant_application=grant.application if grant else None,
                    documents_held=cleaned_documents,
                    registered_by=officer,
                    submission_key=submission_key,
                )
        except IntegrityError:
            raise Conflict(
                _("This claimant has already been registered."), code="already_registered"
            ) from None
        audit_append(
            actor=actor,
            event=events.CASE_OPENED,
            target=case,
            payload={
                "arrival": arrival.pk,
                "person": person.pk,
                "child_status": child_status,
                "grant": case.grant_application_id,
            },
        )
    return case


# --- Separate owners for separate steps ----------------------------------------------------


def previous_step_owner(case: AsylumCase, stage: str) -> User | None:
    """Who did the step before ``stage`` on this case: the registering officer before the
    interview, the interviewing officer before routing."""
    if stage == Stage.SCREENING:
        return case.registered_by
    if stage == Stage.ROUTING:
        interview = case.interviews.filter(status="completed").order_by("-ended_at").first()
        return interview.officer if interview else None
    return None


def require_separate_steps(case: AsylumCase, officer: User, stage: str) -> None:
    """Refuse a user doing two consecutive consequential steps on the same case, unless the
    location's manager has waived it (recorded) for today."""
    owner = previous_step_owner(case, stage)
    if owner is None or owner.pk != officer.pk:
        return
    if waiver_in_force(case.location_id, london_today()) is not None:
        return
    raise PermissionDenied(
        _(
            "You did the step before this one on this case (%(step)s). Another officer must do "
            "this step, unless the location manager allows it for the location."
        )
        % {"step": _step_before(stage)},
        code="stage_separation",
    )


def _step_before(stage: str) -> str:
    return str(Stage.REGISTRATION.label if stage == Stage.SCREENING else Stage.SCREENING.label)


def waiver_grant(
    *, actor: Actor, location: Location, reason: str, valid_until: date
) -> StageSeparationWaiver:
    require_permission(actor, Perm.WAIVE_STAGE_SEPARATION)
    manager = human(actor)
    _require_location(actor, location.pk)
    reason = required_reason(
        reason,
        _("Explain in at least %(minimum)s characters why one officer must do consecutive steps")
        % {"minimum": REASON_MINIMUM},
        minimum=REASON_MINIMUM,
    )
    today = london_today()
    if not today <= valid_until <= today + timedelta(days=31):
        raise ValidationFailed(
            _("A waiver lasts from today for at most 31 days"), field="valid_until"
        )
    with transaction.atomic():
        waiver = StageSeparationWaiver.objects.create(
            location=location, reason=reason, valid_until=valid_until, granted_by=manager
        )
        audit_append(
            actor=actor,
            event=events.STAGE_SEPARATION_WAIVED,
            target=waiver,
            payload={"location": location.pk, "valid_until": valid_until.isoformat()},
        )
    return waiver


def waiver_revoke(*, actor: Actor, waiver: StageSeparationWaiver) -> StageSeparationWaiver:
    require_permission(actor, Perm.WAIVE_STAGE_SEPARATION)
    manager = human(actor)
    _require_location(actor, waiver.location_id)
    with transaction.atomic():
        locked = StageSeparationWaiver.objects.select_for_update().get(pk=waiver.pk)
        if locked.revoked_at is not None:
            raise Conflict(_("This waiver has already ended."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = manager
        locked.save(update_fields=["revoked_at", "revoked_by"])
        audit_append(
            actor=actor,
            event=events.STAGE_SEPARATION_WAIVER_REVOKED,
            target=locked,
            payload={"location": locked.location_id},
        )
    return locked


# --- Allocation ----------------------------------------------------------------------------


def _check_officer(case: AsylumCase, officer: User, stage: str, day: date) -> None:
    problems = FieldErrors()
    if not officer.is_active or not officer.has_perm(STAGE_PERMISSION[stage]):
        problems.add("officer", _("Choose an officer who does this work"))
    elif officer.has_role(Role.INTERPRETER) or hasattr(officer, "interpreter_record"):
        problems.add("officer", _("An interpreter's account cannot own a step of a case"))
    elif not officer.locations.filter(pk=case.location_id).exists():
        problems.add("officer", _("Choose an officer who works at this location"))
    if stage == Stage.SCREENING and not problems:
        held = accreditations_held(holder=officer, on=day)
        if "screening" not in held:
            problems.add("officer", _("This officer holds no valid screening accreditation"))
        elif case.is_child and "child_interviews" not in held:
            problems.add("officer", _("A child is interviewed only by a child-accredited officer"))
    problems.raise_if_any()


def stage_allocate(
    *,
    actor: Actor,
    case: AsylumCase,
    stage: str,
    officer: User,
    scheduled_for: datetime | None = None,
) -> Allocation:
    """Give one stage of a case to an officer. Allocating the screening schedules it (the
    case's first move); allocating again hands it to someone else, and the old allocation ends."""
    require_permission(actor, Perm.ALLOCATE_WORK)
    manager = human(actor)
    _require_location(actor, case.location_id)
    if stage not in STAGE_PERMISSION:
        raise ValidationFailed(_("Choose the screening interview or routing"), field="stage")
    if stage == Stage.SCREENING:
        if scheduled_for is None:
            raise ValidationFailed(_("Enter when the interview is"), field="scheduled_for")
        if scheduled_for < timezone.now() - CLOCK_SKEW:
            raise ValidationFailed(
                _("The interview must be scheduled in the future"), field="scheduled_for"
            )
    day = timezone.localdate(scheduled_for) if scheduled_for else london_today()
    _check_officer(case, officer, stage, day)
    with transaction.atomic():
        locked = lock_case(case)
        if locked.status not in ALLOCATABLE_FROM[stage]:
            raise Conflict(
                _("A case that is “%(status)s” cannot have its %(stage)s allocated.")
                % {"status": CaseStatus(locked.status).label, "stage": Stage(stage).label},
                code="illegal_transition",
            )
        require_separate_steps(locked, officer, stage)
        previous = current_allocation(locked, stage)
        if previous is not None:
            previous.ended_at = timezone.now()
            previous.end_reason = "reallocated"
            previous.save(update_fields=["ended_at", "end_reason"])
        allocation = Allocation.objects.create(
            case=locked,
            stage=stage,
            officer=officer,
            scheduled_for=scheduled_for,
            allocated_by=manager,
        )
        if locked.status == CaseStatus.REGISTERED:
            transition_case(locked, "schedule_screening", actor=actor)
        audit_append(
            actor=actor,
            event=events.STAGE_ALLOCATED,
            target=locked,
            payload={
                "stage": stage,
                "officer": officer.pk,
                "reallocated_from": previous.officer_id if previous else None,
            },
        )
    return allocation


def require_allocated(case: AsylumCase, officer: User, stage: str) -> None:
    allocation = current_allocation(case, stage)
    if allocation is None or allocation.officer_id != officer.pk:
        raise PermissionDenied(
            _("This %(stage)s is allocated to another officer. Ask the location manager.")
            % {"stage": Stage(stage).label.lower()},
            code="not_allocated",
        )


# --- Routing and closing -------------------------------------------------------------------


def case_route(*, actor: Actor, case: AsylumCase, route: str, reason: str) -> AsylumCase:
    """Route a screened case. Inadmissibility is consequential: the gate must allow it."""
    require_permission(actor, Perm.ROUTE_CASE)
    officer = human(actor)
    if route not in Route.values:
        raise ValidationFailed(_("Choose a route"), field="route")
    reason = required_reason(
        reason,
        _("Give the reasons for this route in at least %(minimum)s characters")
        % {"minimum": REASON_MINIMUM},
        minimum=REASON_MINIMUM,
    )
    with gated_transaction():
        locked = lock_case(case)
        _require_location(actor, locked.location_id)
        require_allocated(locked, officer, Stage.ROUTING)
        require_separate_steps(locked, officer, Stage.ROUTING)
        evaluation = _gate(actor, locked, policy_action("route_case", route=route))
        locked.route = route
        transition_case(locked, "route_case", actor=actor, evaluation=evaluation, note=reason)
    return locked


def case_close(*, actor: Actor, case: AsylumCase, reason: str) -> AsylumCase:
    """Close a case (a withdrawn claim, a death, a duplicate), through the gate."""
    require_permission(actor, Perm.CLOSE_CASE)
    human(actor)
    reason = required_reason(
        reason,
        _("Explain in at least %(minimum)s characters why the case is closed")
        % {"minimum": REASON_MINIMUM},
        minimum=REASON_MINIMUM,
    )
    with gated_transaction():
        locked = lock_case(case)
        _require_location(actor, locked.location_id)
        evaluation = _gate(actor, locked, "close_case")
        transition_case(locked, "close", actor=actor, evaluation=evaluation, note=reason)
    return locked


def _gate(actor: Actor, case: AsylumCase, action: str | None) -> Any:
    """Ask the gate about ``action`` (None: not consequential). A verdict that needs a senior's
    approval is refused here: approvals of case actions come with the safeguarding issue."""
    if action is None:
        return None
    from safepassage.screening.facts import latest_screening_facts

    facts = case_facts(case, on=london_today(), screening=latest_screening_facts(case))
    evaluation = policy_gate(actor=actor, action=action, subject=case, facts=facts)
    if evaluation.outcome == Outcome.NEEDS_APPROVAL:
        raise Conflict(
            _("The policy gate says this needs a senior caseworker's approval first."),
            code="needs_approval",
        )
    return evaluation
