"""The pages of arrivals and cases: what a registration officer, a manager and a decision maker
see and can do, and what they are refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from safepassage.cases.models import Arrival, AsylumCase, CaseStatus
from safepassage.core.roles import Role
from safepassage.screening.services.interviews import interview_complete
from tests.cases import builders as b
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user: Any) -> dict[str, Any]:
    place = LocationFactory()
    people = {
        "place": place,
        "registrar": make_user(Role.REGISTRATION_OFFICER, locations=[place]),
        "officer": make_user(Role.SCREENING_OFFICER, locations=[place]),
        "manager": make_user(Role.LOCATION_MANAGER, locations=[place]),
        "decider": make_user(Role.DECISION_MAKER, locations=[place]),
    }
    b.published()
    b.accredit(people["officer"], "screening")
    return people


def arrival_form(place: Any, **changes: Any) -> dict[str, Any]:
    when = timezone.localtime() - timedelta(hours=3)
    return {
        "location": place.pk,
        "arrived_on_day": when.day,
        "arrived_on_month": when.month,
        "arrived_on_year": when.year,
        "arrived_at": when.strftime("%H:%M"),
        "route": "small_boat",
        "route_details": "",
        "submission_key": "key-1",
        **changes,
    }


def claimant_form(**changes: Any) -> dict[str, Any]:
    return {
        "given_names": "Amal",
        "family_name": "Haddad",
        "date_of_birth_year": "1990",
        "sex": "F",
        "nationality": "SDN",
        "claims_minor": "no",
        "child_status": "adult",
        "relationship": "lead",
        "submission_key": "claimant-1",
        **changes,
    }


def screened(staff: dict[str, Any]) -> AsylumCase:
    case = b.registered(registrar=staff["registrar"], location=staff["place"])
    b.scheduled(case, officer=staff["officer"], manager=staff["manager"])
    interview = b.started(case, officer=staff["officer"])
    b.answer_everything(interview, officer=staff["officer"])
    b.ready_to_complete(interview, officer=staff["officer"])
    interview_complete(actor=staff["officer"], interview=interview)
    case.refresh_from_db()
    return case


def test_the_list_shows_only_cases_at_the_users_locations(staff, make_user, client_for):
    mine = b.registered(registrar=staff["registrar"], location=staff["place"])
    elsewhere = LocationFactory()
    other = b.registered(
        registrar=make_user(Role.REGISTRATION_OFFICER, locations=[elsewhere]), location=elsewhere
    )
    page = client_for(staff["manager"]).get("/cases/").content.decode()
    assert mine.reference in page
    assert other.reference not in page


def test_the_list_narrows_to_work_allocated_to_me(staff, client_for):
    allocated = b.registered(registrar=staff["registrar"], location=staff["place"])
    b.scheduled(allocated, officer=staff["officer"], manager=staff["manager"])
    waiting = b.registered(
        registrar=staff["registrar"], location=staff["place"], family_name="Noor"
    )
    page = client_for(staff["officer"]).get("/cases/?mine=on").content.decode()
    assert allocated.reference in page
    assert waiting.reference not in page
    page = client_for(staff["officer"]).get("/cases/?status=registered").content.decode()
    assert waiting.reference in page
    assert allocated.reference not in page


def test_registering_an_arrival_then_a_claimant_opens_a_case(staff, client_for):
    client = client_for(staff["registrar"])
    response = client.post("/cases/arrivals/new/", arrival_form(staff["place"]))
    arrival = Arrival.objects.get()
    assert response.url == f"/cases/arrivals/{arrival.pk}/"
    response = client.post(f"/cases/arrivals/{arrival.pk}/claimants/new/", claimant_form())
    case = AsylumCase.objects.get()
    assert response.url == f"/cases/{case.pk}/"
    page = client.get(response.url).content.decode()
    assert case.reference in page
    assert "Haddad" in page
    assert "Registered" in page


def test_an_arrival_in_the_future_is_refused_and_nothing_is_made(staff, client_for):
    later = timezone.localtime() + timedelta(days=2)
    response = client_for(staff["registrar"]).post(
        "/cases/arrivals/new/",
        arrival_form(
            staff["place"],
            **{
                "arrived_on_day": later.day,
                "arrived_on_month": later.month,
                "arrived_on_year": later.year,
            },
        ),
    )
    assert response.status_code == 400
    assert "The time of arrival must be in the past" in response.content.decode()
    assert not Arrival.objects.exists()


def test_a_missing_route_is_named(staff, client_for):
    response = client_for(staff["registrar"]).post(
        "/cases/arrivals/new/", arrival_form(staff["place"], route="")
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not Arrival.objects.exists()


def test_the_same_arrival_form_sent_twice_makes_one_arrival(staff, client_for):
    client = client_for(staff["registrar"])
    first = client.post("/cases/arrivals/new/", arrival_form(staff["place"]))
    second = client.post("/cases/arrivals/new/", arrival_form(staff["place"]))
    assert first.url == second.url
    assert Arrival.objects.count() == 1


def test_someone_under_18_cannot_be_recorded_as_an_adult(staff, client_for):
    party = b.arrival(registrar=staff["registrar"], location=staff["place"])
    response = client_for(staff["registrar"]).post(
        f"/cases/arrivals/{party.pk}/claimants/new/", claimant_form(claims_minor="yes")
    )
    assert response.status_code == 400
    assert "treated as a child" in response.content.decode()
    assert not AsylumCase.objects.exists()


def test_an_accompanied_child_needs_their_parent_and_then_opens_a_case(staff, client_for):
    party = b.arrival(registrar=staff["registrar"], location=staff["place"])
    parent = b.registered(registrar=staff["registrar"], location=staff["place"], at=party)
    client = client_for(staff["registrar"])
    child = claimant_form(
        claims_minor="yes",
        child_status="accompanied_child",
        relationship="child",
        submission_key="child-1",
        **{"date_of_birth_year": "2015"},
    )
    refused = client.post(f"/cases/arrivals/{party.pk}/claimants/new/", child)
    assert refused.status_code == 400
    assert "Choose the main claimant of their family" in refused.content.decode()
    response = client.post(
        f"/cases/arrivals/{party.pk}/claimants/new/", {**child, "family_lead": parent.pk}
    )
    opened = AsylumCase.objects.exclude(pk=parent.pk).get()
    assert response.url == f"/cases/{opened.pk}/"
    assert opened.family_lead == parent
    assert opened.is_child


def test_a_bad_grant_reference_is_explained_on_the_arrival_page(staff, client_for):
    party = b.arrival(registrar=staff["registrar"], location=staff["place"], route="safe_passage")
    response = client_for(staff["registrar"]).post(
        f"/cases/arrivals/{party.pk}/grant/", {"reference": "not a reference"}
    )
    assert response.status_code == 400
    assert "Enter the reference as it is on the letter" in response.content.decode()


def test_a_case_at_another_location_is_not_found(staff, make_user, client_for):
    case = b.registered(registrar=staff["registrar"], location=staff["place"])
    stranger = make_user(Role.LOCATION_MANAGER, locations=[LocationFactory()])
    assert client_for(stranger).get(f"/cases/{case.pk}/").status_code == 404


def test_the_manager_schedules_the_interview_from_the_case_page(staff, client_for):
    case = b.registered(registrar=staff["registrar"], location=staff["place"])
    later = timezone.localtime() + timedelta(days=1)
    response = client_for(staff["manager"]).post(
        f"/cases/{case.pk}/allocate/",
        {
            "screening-stage": "screening",
            "screening-officer": staff["officer"].pk,
            "screening-scheduled_on_day": later.day,
            "screening-scheduled_on_month": later.month,
            "screening-scheduled_on_year": later.year,
            "screening-scheduled_at": "10:30",
        },
    )
    assert response.url == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.SCREENING_SCHEDULED
    page = client_for(staff["officer"]).get(f"/cases/{case.pk}/").content.decode()
    assert "Start the screening interview" in page
    assert "Screening scheduled" in page


def test_an_unaccredited_officer_cannot_be_given_the_interview(staff, make_user, client_for):
    case = b.registered(registrar=staff["registrar"], location=staff["place"])
    novice = make_user(Role.SCREENING_OFFICER, locations=[staff["place"]])
    later = timezone.localtime() + timedelta(days=1)
    response = client_for(staff["manager"]).post(
        f"/cases/{case.pk}/allocate/",
        {
            "screening-stage": "screening",
            "screening-officer": novice.pk,
            "screening-scheduled_on_day": later.day,
            "screening-scheduled_on_month": later.month,
            "screening-scheduled_on_year": later.year,
            "screening-scheduled_at": "10:30",
        },
    )
    assert response.status_code == 400
    assert "holds no valid screening accreditation" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED


def test_the_allocated_decision_maker_routes_a_screened_case(staff, client_for):
    case = screened(staff)
    manager = client_for(staff["manager"])
    manager.post(
        f"/cases/{case.pk}/allocate/",
        {"routing-stage": "routing", "routing-officer": staff["decider"].pk},
    )
    client = client_for(staff["decider"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "What the gate sees" in page
    assert "Route the case" in page
    response = client.post(
        f"/cases/{case.pk}/route/",
        {"route": "substantive", "reason": "Nothing suggests a safe third country route here."},
    )
    assert response.url == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.status == CaseStatus.ROUTED
    timeline = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Nothing suggests a safe third country route here." in timeline


def test_a_short_reason_does_not_close_a_case(staff, client_for):
    case = b.registered(registrar=staff["registrar"], location=staff["place"])
    client = client_for(staff["decider"])
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "dup"})
    assert response.status_code == 400
    assert "why the case is closed" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REGISTERED
    closed = client.post(
        f"/cases/{case.pk}/close/",
        {"reason": "A duplicate of a case registered the same morning at this location."},
    )
    assert closed.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
