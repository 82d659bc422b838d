"""Demo arrivals: a small boat at Manston with a family, a man on his own and an unaccompanied
boy, registered by the demo registration officer; the man's screening is allocated to the demo
screening officer. Made-up people. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from safepassage.cases.models import (
    Arrival,
    ArrivalRoute,
    AsylumCase,
    ChildStatus,
    Relationship,
    Stage,
)
from safepassage.cases.services import arrival_register, claimant_add, stage_allocate
from safepassage.core.models import Location, User
from safepassage.people.services import IdentityInput

DEMO_KEY = "demo-arrival-manston-1"

PARTY = [
    # (key, identity, claims minor, child status, relationship, lead key)
    (
        "amir",
        IdentityInput(
            given_names="Amir",
            family_name="Osman",
            date_of_birth="1994-07-12",
            sex="M",
            nationality="SDN",
            given_names_original="أمير",
            family_name_original="عثمان",
            original_script="Arab",
        ),
        False,
        ChildStatus.ADULT,
        Relationship.NOT_FAMILY,
        None,
    ),
    (
        "selam",
        IdentityInput(
            given_names="Selam",
            family_name="Haile",
            date_of_birth="1999",
            sex="F",
            nationality="ERI",
        ),
        False,
        ChildStatus.ADULT,
        Relationship.LEAD,
        None,
    ),
    (
        "noah",
        IdentityInput(
            given_names="Noah",
            family_name="Haile",
            date_of_birth="2019-02-03",
            sex="M",
            nationality="ERI",
        ),
        True,
        ChildStatus.ACCOMPANIED_CHILD,
        Relationship.CHILD,
        "selam",
    ),
    (
        "karim",
        IdentityInput(
            given_names="Karim",
            family_name="Ahmadi",
            date_of_birth="2009",
            sex="M",
            nationality="AFG",
            dob_estimated=True,
        ),
        True,
        ChildStatus.UNACCOMPANIED_CHILD,
        Relationship.NOT_FAMILY,
        None,
    ),
]


def demo_cases_load() -> int:
    if Arrival.objects.filter(submission_key=DEMO_KEY).exists():
        return 0
    registrar = User.objects.filter(username="registration").first()
    manager = User.objects.filter(username="manager").first()
    screener = User.objects.filter(username="screening").first()
    location = Location.objects.filter(code="manston").first()
    if registrar is None or location is None:
        return 0
    arrival = arrival_register(
        actor=registrar,
        location=location,
        arrived_at=timezone.now() - timedelta(hours=5),
        route=ArrivalRoute.SMALL_BOAT,
        route_details="Rigid inflatable boat, landed at Dover",
        submission_key=DEMO_KEY,
    )
    cases: dict[str, AsylumCase] = {}
    for key, identity, minor, child_status, relationship, lead in PARTY:
        cases[key] = claimant_add(
            actor=registrar,
            arrival=arrival,
            submission_key=f"{DEMO_KEY}-{key}",
            identity=identity,
            claims_minor=minor,
            child_status=child_status,
            relationship=relationship,
            family_lead=cases[lead] if lead else None,
        )
    if manager is not None and screener is not None:
        stage_allocate(
            actor=manager,
            case=cases["amir"],
            stage=Stage.SCREENING,
            officer=screener,
            scheduled_for=timezone.now() + timedelta(hours=1),
        )
    return 1 + len(cases)
