"""Registering arrivals and claimants, allocating stages, routing and closing cases.

Each refusal is asserted with the message a person reads, and with nothing changed.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from safepassage.applications.grants import grant_find
from safepassage.audit.models import AuditEvent
from safepassage.cases.lifecycle import IllegalCaseTransition
from safepassage.cases.models import (
    Allocation,
    Arrival,
    ArrivalRoute,
    AsylumCase,
    CaseStatus,
    CaseTransition,
    ChildStatus,
    Relationship,
    Route,
    Stage,
)
from safepassage.cases.selectors import current_allocation
from safepassage.cases.services import (
    arrival_register,
    case_close,
    case_route,
    claimant_add,
    stage_allocate,
    waiver_grant,
    waiver_revoke,
)
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.people.models import Person
from safepassage.people.services import IdentityInput, person_register
from safepassage.policy.models import PolicyEvaluation
from safepassage.policy.services import PolicyBlocked, london_today
from safepassage.screening.services.interviews import interview_complete
from tests.applications.decided import checks_passed
from tests.applications.issued import issue
from tests.applications.sent import sent
from tests.cases.builders import accredit, published, registered
from tests.factories import LocationFactory
from tests.screening.helpers import (
    Staff,
    answer_all,
    confirm,
    give_role,
    interview_in_progress,
    make_staff,
)

pytestmark = pytest.mark.django_db

REASON = "The screening found no sign of a third country that would take the claim."
CLOSING = "The claimant withdrew the claim in writing on arrival day."
WAIVER = "Only one officer is on duty at this small port for the next week."


@pytest.fixture(autouse=True)
def _files_and_messages(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.SMS_BACKEND = "safepassage.core.sms.LocmemSmsBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def staff(make_user) -> Staff:
    return make_staff(make_user)


def key() -> str:
    return secrets.token_hex(8)


def fields(error: ValidationFailed) -> dict[str, str]:
    return {name: " ".join(messages) for name, messages in error.field_errors().items()}


AMAL = IdentityInput(
    given_names="Amal",
    family_name="Haddad",
    date_of_birth="1990-01-01",
    sex="F",
    nationality="SDN",
)


# --- Registering an arrival ------------------------------------------------------------------


def register(staff: Staff, **changes: Any) -> Arrival:
    values: dict[str, Any] = {
        "actor": staff.registrar,
        "location": staff.place,
        "arrived_at": timezone.now() - timedelta(hours=3),
        "route": ArrivalRoute.SMALL_BOAT,
        "submission_key": key(),
        **changes,
    }
    return arrival_register(**values)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"arrived_at": timezone.now() + timedelta(hours=2)},
            "arrived_at",
            "The time of arrival must be in the past",
        ),
        (
            {"arrived_at": timezone.now() - timedelta(days=400)},
            "arrived_at",
            "The time of arrival must be within the last year",
        ),
        ({"route": "helicopter"}, "route", "Choose how they arrived"),
        (
            {"route": ArrivalRoute.OTHER, "route_details": "   "},
            "route_details",
            "Say how they arrived",
        ),
        (
            {"route": ArrivalRoute.OTHER, "route_details": "x" * 501},
            "route_details",
            "Use 500 characters or fewer",
        ),
    ],
)
def test_a_bad_arrival_is_refused_with_the_reason_and_nothing_is_recorded(
    staff, changes, field, message
):
    with pytest.raises(ValidationFailed) as refused:
        register(staff, **changes)
    assert fields(refused.value)[field] == message
    assert not Arrival.objects.exists()
    assert not AuditEvent.objects.filter(action="cases.arrival_registered").exists()


def test_an_arrival_at_a_location_where_the_officer_does_not_work_is_refused(staff):
    elsewhere = LocationFactory()
    with pytest.raises(PermissionDenied) as refused:
        register(staff, location=elsewhere)
    assert str(refused.value.message) == "You do not work at this location."
    assert not Arrival.objects.exists()


def test_only_registration_officers_register_arrivals(staff):
    with pytest.raises(PermissionDenied):
        register(staff, actor=staff.officer)
    assert not Arrival.objects.exists()


def test_the_same_form_sent_twice_registers_one_arrival(staff):
    submission = key()
    first = register(staff, submission_key=submission)
    again = register(
        staff, submission_key=submission, route=ArrivalRoute.OTHER, route_details="A lorry"
    )
    assert again == first
    assert Arrival.objects.count() == 1
    assert Arrival.objects.get().route == ArrivalRoute.SMALL_BOAT
    assert AuditEvent.objects.filter(action="cases.arrival_registered").count() == 1


def test_an_other_route_keeps_its_details_tidied(staff):
    registered_arrival = register(
        staff, route=ArrivalRoute.OTHER, route_details="  In the back   of a lorry "
    )
    assert registered_arrival.route_details == "In the back of a lorry"


# --- Adding claimants ------------------------------------------------------------------------


def add(staff: Staff, party: Arrival, **changes: Any) -> AsylumCase:
    values: dict[str, Any] = {
        "actor": staff.registrar,
        "arrival": party,
        "submission_key": key(),
        "identity": AMAL,
        "claims_minor": False,
        "child_status": ChildStatus.ADULT,
        "relationship": Relationship.LEAD,
        **changes,
    }
    return claimant_add(**values)


def test_a_claimant_is_opened_as_a_registered_case_with_a_person(staff):
    party = register(staff)
    case = add(staff, party)
    assert case.status == CaseStatus.REGISTERED
    assert case.location == staff.place
    assert case.registered_by == staff.registrar
    assert case.person.identities.get().family_name == "Haddad"
    assert AuditEvent.objects.get(action="cases.case_opened").object_id == str(case.pk)


def test_someone_who_says_they_are_a_child_is_never_recorded_as_an_adult(staff):
    party = register(staff)
    with pytest.raises(ValidationFailed) as refused:
        add(staff, party, claims_minor=True, child_status=ChildStatus.ADULT)
    assert (
        "treated as a child until a lawful age assessment" in fields(refused.value)["child_status"]
    )
    assert not AsylumCase.objects.exists()
    assert not Person.objects.exists()


def test_an_accompanied_child_needs_the_parent_or_guardian_they_came_with(staff):
    party = register(staff)
    with pytest.raises(ValidationFailed) as refused:
        add(staff, party, claims_minor=True, child_status=ChildStatus.ACCOMPANIED_CHILD)
    assert fields(refused.value)["family_lead"] == (
        "An accompanied child arrives with a parent or guardian: choose them"
    )
    assert not AsylumCase.objects.exists()


def test_a_family_lead_from_another_arrival_is_refused(staff):
    lead = add(staff, register(staff))
    party = register(staff)
    with pytest.raises(ValidationFailed) as refused:
        add(
            staff,
            party,
            claims_minor=True,
            child_status=ChildStatus.ACCOMPANIED_CHILD,
            relationship=Relationship.CHILD,
            family_lead=lead,
        )
    assert fields(refused.value)["family_lead"] == "Choose someone who arrived with them"
    assert AsylumCase.objects.count() == 1


def test_the_main_claimant_has_no_family_lead(staff):
    party = register(staff)
    lead = add(staff, party)
    with pytest.raises(ValidationFailed) as refused:
        add(staff, party, relationship=Relationship.LEAD, family_lead=lead)
    assert fields(refused.value)["family_lead"] == "The main claimant is not part of another family"
    assert AsylumCase.objects.count() == 1


def test_a_child_with_their_parent_is_recorded_in_the_family(staff):
    party = register(staff)
    lead = add(staff, party)
    child = add(
        staff,
        party,
        claims_minor=True,
        child_status=ChildStatus.ACCOMPANIED_CHILD,
        relationship=Relationship.CHILD,
        family_lead=lead,
        identity=IdentityInput(given_names="Rami", family_name="Haddad", date_of_birth="2015"),
    )
    assert child.family_lead == lead
    assert child.is_child


def test_the_same_claimant_form_sent_twice_opens_one_case(staff):
    party = register(staff)
    submission = key()
    first = add(staff, party, submission_key=submission)
    again = add(staff, party, submission_key=submission)
    assert again == first
    assert AsylumCase.objects.count() == 1
    assert Person.objects.count() == 1
    assert AuditEvent.objects.filter(action="cases.case_opened").count() == 1


def test_only_registration_officers_add_claimants(staff):
    party = register(staff)
    with pytest.raises(PermissionDenied):
        add(staff, party, actor=staff.officer)
    assert not AsylumCase.objects.exists()


def issued_grant(make_user) -> tuple[Any, Person]:
    """An issued safe-passage grant whose identity check linked a person."""
    decision_maker = make_user(Role.DECISION_MAKER)
    application = sent(1)
    checks_passed(application, decision_maker)
    issue(application, decision_maker)
    person = person_register(actor=decision_maker, identity=AMAL)
    application.checks.filter(kind="identity").update(person=person)
    return application, person


def test_a_safe_passage_holder_is_registered_as_the_person_their_grant_linked(staff, make_user):
    application, person = issued_grant(make_user)
    party = register(staff, route=ArrivalRoute.SAFE_PASSAGE)
    grant = grant_find(actor=staff.registrar, reference=application.reference)

    case = add(staff, party, identity=None, grant=grant)

    assert case.person == person
    assert case.grant_application == application
    assert Person.objects.count() == 1  # no second record of the same person
    assert AuditEvent.objects.get(action="cases.case_opened").payload["grant"] == application.pk


def test_a_grant_is_refused_for_an_arrival_by_another_route(staff, make_user):
    application, _person = issued_grant(make_user)
    grant = grant_find(actor=staff.registrar, reference=application.reference)
    with pytest.raises(ValidationFailed) as refused:
        add(staff, register(staff), identity=None, grant=grant)
    assert fields(refused.value)["grant"] == "Only an arrival on a safe-passage visa has a grant"
    assert not AsylumCase.objects.exists()


def test_a_grant_whose_check_linked_nobody_needs_an_identity(staff, make_user):
    application, _person = issued_grant(make_user)
    application.checks.filter(kind="identity").update(person=None)
    grant = grant_find(actor=staff.registrar, reference=application.reference)
    with pytest.raises(ValidationFailed) as refused:
        add(staff, register(staff, route=ArrivalRoute.SAFE_PASSAGE), identity=None, grant=grant)
    assert "linked nobody" in fields(refused.value)["grant"]
    assert not AsylumCase.objects.exists()


# --- Allocating stages -----------------------------------------------------------------------


def allocate(staff: Staff, case: AsylumCase, officer, **changes: Any) -> Allocation:
    values: dict[str, Any] = {
        "actor": staff.manager,
        "case": case,
        "stage": Stage.SCREENING,
        "officer": officer,
        "scheduled_for": timezone.now() + timedelta(hours=2),
        **changes,
    }
    return stage_allocate(**values)


def assert_not_allocated(case: AsylumCase) -> None:
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert not Allocation.objects.filter(case=case).exists()
    assert not CaseTransition.objects.filter(case=case).exists()


def refused_officer(staff: Staff, case: AsylumCase, officer) -> str:
    with pytest.raises(ValidationFailed) as refused:
        allocate(staff, case, officer)
    assert_not_allocated(case)
    return fields(refused.value)["officer"]


def test_allocating_the_screening_schedules_it(staff):
    case = registered(registrar=staff.registrar, location=staff.place)
    allocation = allocate(staff, case, staff.officer)
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_SCHEDULED
    assert current_allocation(case, Stage.SCREENING) == allocation
    assert CaseTransition.objects.get(case=case).name == "schedule_screening"
    assert AuditEvent.objects.get(action="cases.stage_allocated").payload == {
        "stage": "screening",
        "officer": staff.officer.pk,
        "reallocated_from": None,
    }


def test_an_officer_without_a_screening_accreditation_is_refused(staff, make_user):
    case = registered(registrar=staff.registrar, location=staff.place)
    unaccredited = make_user(Role.SCREENING_OFFICER, locations=[staff.place])
    assert refused_officer(staff, case, unaccredited) == (
        "This officer holds no valid screening accreditation"
    )


def test_a_child_is_allocated_only_to_a_child_accredited_officer(staff, make_user):
    case = registered(
        registrar=staff.registrar, location=staff.place, child=True, unaccompanied=True
    )
    assert refused_officer(staff, case, staff.officer) == (
        "A child is interviewed only by a child-accredited officer"
    )
    accredit(staff.officer, "child_interviews")
    allocate(staff, case, staff.officer)
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_SCHEDULED


def test_an_officer_at_another_location_is_refused(staff, make_user):
    case = registered(registrar=staff.registrar, location=staff.place)
    elsewhere = make_user(Role.SCREENING_OFFICER, locations=[LocationFactory()])
    accredit(elsewhere, "screening")
    assert refused_officer(staff, case, elsewhere) == (
        "Choose an officer who works at this location"
    )


def test_an_interpreters_account_never_owns_a_step(staff, make_user):
    case = registered(registrar=staff.registrar, location=staff.place)
    both = make_user(Role.SCREENING_OFFICER, Role.INTERPRETER, locations=[staff.place])
    accredit(both, "screening")
    assert refused_officer(staff, case, both) == (
        "An interpreter's account cannot own a step of a case"
    )


def test_someone_who_does_not_do_the_work_is_refused(staff):
    case = registered(registrar=staff.registrar, location=staff.place)
    assert refused_officer(staff, case, staff.registrar) == "Choose an officer who does this work"


def test_the_registering_officer_does_not_screen_unless_the_manager_waives_it(staff):
    registrar = give_role(staff.registrar, Role.SCREENING_OFFICER)
    accredit(registrar, "screening")
    case = registered(registrar=registrar, location=staff.place)

    with pytest.raises(PermissionDenied) as refused:
        allocate(staff, case, registrar)
    assert refused.value.code == "stage_separation"
    assert "You did the step before this one on this case (Registration)" in str(
        refused.value.message
    )
    assert_not_allocated(case)

    waiver = waiver_grant(
        actor=staff.manager,
        location=staff.place,
        reason=WAIVER,
        valid_until=london_today() + timedelta(days=7),
    )
    allocate(staff, case, registrar)
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_SCHEDULED

    waiver_revoke(actor=staff.manager, waiver=waiver)
    second = registered(registrar=registrar, location=staff.place)
    with pytest.raises(PermissionDenied) as again:
        allocate(staff, second, registrar)
    assert again.value.code == "stage_separation"
    assert_not_allocated(second)


def test_a_waiver_needs_a_reason_and_lasts_a_month_at_most(staff):
    with pytest.raises(ValidationFailed) as short:
        waiver_grant(
            actor=staff.manager, location=staff.place, reason="Busy", valid_until=london_today()
        )
    assert "at least 20 characters" in str(short.value.message)
    with pytest.raises(ValidationFailed) as long:
        waiver_grant(
            actor=staff.manager,
            location=staff.place,
            reason=WAIVER,
            valid_until=london_today() + timedelta(days=32),
        )
    assert str(long.value.message) == "A waiver lasts from today for at most 31 days"
    with pytest.raises(PermissionDenied):
        waiver_grant(
            actor=staff.officer, location=staff.place, reason=WAIVER, valid_until=london_today()
        )


def test_reallocating_ends_the_previous_allocation(staff, make_user):
    case = registered(registrar=staff.registrar, location=staff.place)
    first = allocate(staff, case, staff.officer)
    other = make_user(Role.SCREENING_OFFICER, locations=[staff.place])
    accredit(other, "screening")

    second = allocate(staff, case, other)

    first.refresh_from_db()
    assert first.ended_at is not None
    assert first.end_reason == "reallocated"
    assert current_allocation(case, Stage.SCREENING) == second
    assert Allocation.objects.filter(case=case, ended_at__isnull=True).count() == 1
    # Scheduled once: reallocating is not a second move of the case.
    assert list(CaseTransition.objects.filter(case=case).values_list("name", flat=True)) == [
        "schedule_screening"
    ]
    assert (
        AuditEvent.objects.filter(action="cases.stage_allocated").last().payload["reallocated_from"]
        == staff.officer.pk
    )


def test_a_stage_cannot_be_allocated_from_the_wrong_status(staff, make_user):
    case = registered(registrar=staff.registrar, location=staff.place)
    router = make_user(Role.DECISION_MAKER, locations=[staff.place])
    with pytest.raises(Conflict) as refused:
        allocate(staff, case, router, stage=Stage.ROUTING, scheduled_for=None)
    assert refused.value.code == "illegal_transition"
    assert str(refused.value.message) == (
        "A case that is “Registered” cannot have its Routing allocated."
    )
    assert_not_allocated(case)

    AsylumCase.objects.filter(pk=case.pk).update(status=CaseStatus.SCREENED)
    with pytest.raises(Conflict):
        allocate(staff, case, staff.officer)
    assert not Allocation.objects.filter(case=case).exists()


def test_an_interview_is_scheduled_in_the_future(staff):
    case = registered(registrar=staff.registrar, location=staff.place)
    with pytest.raises(ValidationFailed) as refused:
        allocate(staff, case, staff.officer, scheduled_for=timezone.now() - timedelta(hours=1))
    assert str(refused.value.message) == "The interview must be scheduled in the future"
    assert_not_allocated(case)


def test_only_those_who_allocate_work_allocate_it(staff):
    case = registered(registrar=staff.registrar, location=staff.place)
    with pytest.raises(PermissionDenied):
        allocate(staff, case, staff.officer, actor=staff.officer)
    assert_not_allocated(case)


# --- Routing ---------------------------------------------------------------------------------


def screened(staff: Staff, **overrides: Any) -> AsylumCase:
    """A case whose screening interview, by ``staff.officer``, is completed."""
    published()
    interview = interview_in_progress(staff)
    answer_all(interview, officer=staff.officer, overrides=overrides)
    confirm(interview, officer=staff.officer)
    interview_complete(actor=staff.officer, interview=interview)
    case = AsylumCase.objects.get(pk=interview.case_id)
    assert case.status == CaseStatus.SCREENED
    return case


@pytest.fixture
def router(staff, make_user):
    return make_user(Role.DECISION_MAKER, locations=[staff.place])


def test_a_case_not_allocated_to_the_officer_is_not_theirs_to_route(staff, router):
    case = screened(staff)
    with pytest.raises(PermissionDenied) as refused:
        case_route(actor=router, case=case, route=Route.SUBSTANTIVE, reason=REASON)
    assert refused.value.code == "not_allocated"
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENED
    assert case.route == ""


def test_the_interviewer_does_not_route_the_case_they_interviewed(staff):
    interviewer = give_role(staff.officer, Role.DECISION_MAKER)
    case = screened(staff)
    with pytest.raises(PermissionDenied) as refused:
        allocate(staff, case, interviewer, stage=Stage.ROUTING, scheduled_for=None)
    assert refused.value.code == "stage_separation"

    # Even if the routing was allocated to them while a waiver stood, routing checks again.
    waiver = waiver_grant(
        actor=staff.manager, location=staff.place, reason=WAIVER, valid_until=london_today()
    )
    allocate(staff, case, interviewer, stage=Stage.ROUTING, scheduled_for=None)
    waiver_revoke(actor=staff.manager, waiver=waiver)
    with pytest.raises(PermissionDenied) as again:
        case_route(actor=interviewer, case=case, route=Route.SUBSTANTIVE, reason=REASON)
    assert again.value.code == "stage_separation"
    assert "(Screening interview)" in str(again.value.message)
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENED


def test_routing_to_substantive_consideration_is_recorded_with_the_reasons(staff, router):
    case = screened(staff)
    allocate(staff, case, router, stage=Stage.ROUTING, scheduled_for=None)

    routed = case_route(actor=router, case=case, route=Route.SUBSTANTIVE, reason=REASON)

    case.refresh_from_db()
    assert routed.status == case.status == CaseStatus.ROUTED
    assert case.route == Route.SUBSTANTIVE
    change = CaseTransition.objects.filter(case=case).last()
    assert (change.name, change.from_status, change.actor) == ("route_case", "screened", router)
    assert change.note == REASON
    assert change.evaluation is None  # substantive consideration is not consequential


def test_routing_needs_a_route_and_reasons(staff, router):
    case = screened(staff)
    allocate(staff, case, router, stage=Stage.ROUTING, scheduled_for=None)
    with pytest.raises(ValidationFailed) as no_route:
        case_route(actor=router, case=case, route="removal", reason=REASON)
    assert str(no_route.value.message) == "Choose a route"
    with pytest.raises(ValidationFailed) as short:
        case_route(actor=router, case=case, route=Route.SUBSTANTIVE, reason="Fine")
    assert str(short.value.message) == ("Give the reasons for this route in at least 20 characters")
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENED


def test_inadmissibility_passes_the_gate_and_keeps_its_evaluation(staff, router):
    case = screened(staff)
    allocate(staff, case, router, stage=Stage.ROUTING, scheduled_for=None)

    case_route(actor=router, case=case, route=Route.INADMISSIBILITY, reason=REASON)

    case.refresh_from_db()
    assert case.route == Route.INADMISSIBILITY
    evaluation = CaseTransition.objects.filter(case=case).last().evaluation
    assert evaluation.action == "route_inadmissibility"
    assert evaluation.outcome == "allowed"
    assert evaluation.subject_id == str(case.pk)


def test_an_adult_with_a_trafficking_indicator_is_not_routed_to_inadmissibility(staff, router):
    case = screened(staff, owes_money=True)
    assert case.vulnerability_indicators.filter(category="trafficking").exists()
    allocate(staff, case, router, stage=Stage.ROUTING, scheduled_for=None)
    transitions = CaseTransition.objects.filter(case=case).count()

    with pytest.raises(PolicyBlocked) as blocked:
        case_route(actor=router, case=case, route=Route.INADMISSIBILITY, reason=REASON)

    rules = {finding["rule"] for finding in blocked.value.evaluation.verdict["findings"]}
    assert "trafficking-blocks-removal" in rules
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENED
    assert case.route == ""
    assert CaseTransition.objects.filter(case=case).count() == transitions
    stored = PolicyEvaluation.objects.get(action="route_inadmissibility")
    assert stored.outcome == "blocked"
    assert stored.subject_id == str(case.pk)
    assert stored.evaluated_by == router
    assert AuditEvent.objects.filter(action="policy.blocked", object_id=str(stored.pk)).exists()


# --- Closing ---------------------------------------------------------------------------------


def test_closing_needs_a_reason(staff, router):
    case = registered(registrar=staff.registrar, location=staff.place)
    with pytest.raises(ValidationFailed) as refused:
        case_close(actor=router, case=case, reason="Gone")
    assert str(refused.value.message) == (
        "Explain in at least 20 characters why the case is closed"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    assert not PolicyEvaluation.objects.exists()


def test_closing_a_case_stores_the_gates_evaluation(staff, router):
    case = registered(registrar=staff.registrar, location=staff.place)

    case_close(actor=router, case=case, reason=CLOSING)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    change = CaseTransition.objects.get(case=case)
    assert change.note == CLOSING
    assert change.evaluation.action == "close_case"
    assert change.evaluation.outcome == "allowed"


def test_closing_with_unfinished_safeguarding_waits_for_a_senior(staff, router):
    case = screened(staff, owes_money=True)
    with pytest.raises(Conflict) as refused:
        case_close(actor=router, case=case, reason=CLOSING)
    assert refused.value.code == "needs_approval"
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENED


def test_a_case_with_an_interview_in_progress_cannot_be_closed(staff, router):
    published()
    interview = interview_in_progress(staff)
    with pytest.raises(IllegalCaseTransition):
        case_close(actor=router, case=interview.case, reason=CLOSING)
    case = AsylumCase.objects.get(pk=interview.case_id)
    assert case.status == CaseStatus.SCREENING_IN_PROGRESS
    assert not CaseTransition.objects.filter(case=case, name="close").exists()


def test_only_those_who_close_cases_close_them(staff):
    case = registered(registrar=staff.registrar, location=staff.place)
    with pytest.raises(PermissionDenied):
        case_close(actor=staff.officer, case=case, reason=CLOSING)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_a_case_at_another_location_is_not_closed(staff, make_user):
    case = registered(registrar=staff.registrar, location=staff.place)
    elsewhere = make_user(Role.DECISION_MAKER, locations=[LocationFactory()])
    with pytest.raises(PermissionDenied):
        case_close(actor=elsewhere, case=case, reason=CLOSING)
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
