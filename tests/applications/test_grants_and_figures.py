"""Finding a grant at arrival by its reference, and the scheme's time-to-decision figures."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from safepassage.applications.figures import percentile, time_to_decision
from safepassage.applications.grants import grant_find
from safepassage.applications.models import Application, Decision, DecisionOutcome
from safepassage.applications.services.decisions import decision_propose
from safepassage.audit.models import AuditEvent
from safepassage.core.errors import NotFound, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.people.services import IdentityInput, person_register
from tests.applications.decided import checks_passed
from tests.applications.sent import sent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]


@pytest.fixture
def officer(make_user):
    return make_user(Role.DECISION_MAKER)


def granted(number: int, officer, **details) -> Application:
    application = sent(number, **details)
    checks_passed(application, officer)
    decision_propose(actor=officer, application=application, outcome=DecisionOutcome.GRANT)
    application.refresh_from_db()
    return application


def test_a_grant_is_found_by_its_reference_however_it_is_typed(officer, make_user):
    application = granted(1, officer)
    registration = make_user(Role.REGISTRATION_OFFICER)
    typed = application.reference.lower().replace("-", " ")

    found = grant_find(actor=registration, reference=typed)

    assert found.application == application
    assert found.in_date
    assert found.decision.outcome == DecisionOutcome.GRANT
    reads = AuditEvent.objects.filter(object_id=str(application.pk), stream="access")
    assert any(event.payload == {"purpose": "arrival"} for event in reads)


def test_the_grant_shows_the_person_the_identity_check_linked(officer, make_user):
    application = granted(1, officer)
    person = person_register(
        actor=officer, identity=IdentityInput(given_names="Amal", family_name="Haddad")
    )
    application.checks.filter(kind="identity").update(person=person)
    found = grant_find(actor=make_user(Role.REGISTRATION_OFFICER), reference=application.reference)
    assert found.person == person


def test_an_expired_grant_is_found_but_not_in_date(officer):
    application = granted(1, officer)
    later = date.today() + timedelta(days=200)
    found = grant_find(actor=officer, reference=application.reference, on=later)
    assert not found.in_date


def test_a_refusal_or_an_undecided_application_is_not_a_grant(officer):
    undecided = sent(1)
    with pytest.raises(NotFound):
        grant_find(actor=officer, reference=undecided.reference)


def test_a_mistyped_reference_is_refused_clearly(officer):
    application = granted(1, officer)
    wrong = application.reference[:-1] + ("2" if application.reference[-1] != "2" else "3")
    with pytest.raises(ValidationFailed):
        grant_find(actor=officer, reference=wrong)
    with pytest.raises(ValidationFailed):
        grant_find(actor=officer, reference="<script>")


def test_only_those_who_register_or_decide_can_look_up_grants(officer, make_user):
    application = granted(1, officer)
    for role in (Role.SCREENING_OFFICER, Role.PARTNER_CASEWORKER, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            grant_find(actor=make_user(role), reference=application.reference)


def test_the_grant_page_finds_a_grant_by_post(officer, make_user, client_for):
    application = granted(1, officer)
    client = client_for(make_user(Role.REGISTRATION_OFFICER))
    page = client.post("/applications/arrivals/", {"reference": application.reference})
    assert page.status_code == 200
    assert "Grant in date" in page.content.decode()
    missing = client.post("/applications/arrivals/", {"reference": "SP-222-222-222"})
    assert missing.status_code in (400, 404)
    assert "Grant in date" not in missing.content.decode()


# --- Figures ----------------------------------------------------------------------------------


def _sent_days_before_decision(number: int, days: float, officer, nationality: str) -> None:
    application = granted(number, officer, nationality=nationality)
    issued_at = Decision.objects.get(application=application).issued_at
    assert issued_at is not None
    Application.objects.filter(pk=application.pk).update(
        submitted_at=issued_at - timedelta(days=days)
    )


def test_time_to_decision_by_nationality_and_month(officer, make_user):
    for number, days in enumerate([1, 2, 3, 4, 10], start=1):
        _sent_days_before_decision(number, days, officer, "SYR")
    _sent_days_before_decision(9, 5, officer, "AFG")

    figures = time_to_decision(actor=make_user(Role.SENIOR_CASEWORKER))

    syria = next(row for row in figures.by_nationality if row.key == "SYR")
    assert (syria.decided, syria.granted, syria.median_days, syria.p90_days) == (5, 5, 3.0, 7.6)
    afghanistan = next(row for row in figures.by_nationality if row.key == "AFG")
    # One decision: counted, but its time is not shown.
    assert (afghanistan.decided, afghanistan.median_days) == (1, None)
    this_month = timezone.localtime().strftime("%Y-%m")
    assert [row.key for row in figures.by_month] == [this_month]
    assert figures.overall.decided == 6


def test_figures_are_for_managers(make_user):
    with pytest.raises(PermissionDenied):
        time_to_decision(actor=make_user(Role.DECISION_MAKER))
    assert time_to_decision(actor=make_user(Role.AUDITOR)).overall.decided == 0


def test_the_figures_page_and_its_csv(officer, make_user, client_for):
    for number in range(1, 6):
        _sent_days_before_decision(number, number, officer, "SYR")
    client = client_for(make_user(Role.LOCATION_MANAGER))
    page = client.get("/applications/figures/")
    assert page.status_code == 200
    assert "3.0" in page.content.decode()
    download = client.get("/applications/figures/?download=csv")
    assert download["Content-Type"].startswith("text/csv")
    lines = download.content.decode().splitlines()
    assert lines[0] == "group,key,decided,granted,refused,median_days,p90_days"
    assert "nationality,SYR,5,5,0,3.0,4.6" in lines


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1), st.floats(0, 1))
def test_a_percentile_lies_between_the_smallest_and_largest_value(values, fraction):
    result = percentile(values, fraction)
    assert min(values) <= result <= max(values) or abs(result - min(values)) < 1e-6
    assert percentile(values, 0) == min(values)
    assert percentile(values, 1) == max(values)
