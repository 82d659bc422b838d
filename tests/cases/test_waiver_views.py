"""A location manager waives stage separation at their location, in writing and for a while."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest

from safepassage.cases.models import StageSeparationWaiver
from safepassage.cases.services import waiver_grant
from safepassage.core.roles import Role
from safepassage.policy.services import london_today
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

REASON = "Only one officer is on duty at this small port over the holiday weekend."


def text(response) -> str:
    return html.unescape(response.content.decode())


def waiver_form(location, *, reason: str = REASON, until: date | None = None) -> dict[str, str]:
    until = until or london_today() + timedelta(days=7)
    return {
        "location": str(location.pk),
        "reason": reason,
        "valid_until_day": str(until.day),
        "valid_until_month": str(until.month),
        "valid_until_year": str(until.year),
    }


def test_the_page_explains_the_rule_and_offers_the_managers_locations(make_user, client_for):
    mine, other = LocationFactory(name="Manston"), LocationFactory(name="Dover")
    manager = make_user(Role.LOCATION_MANAGER, locations=[mine])
    page = text(client_for(manager).get("/cases/waivers/"))
    assert "One officer may then register, interview and route the same case" in page
    assert "use it only when a location has one officer on duty" in page
    assert f'<option value="{mine.pk}">Manston</option>' in page
    assert "Dover" not in page
    assert other.pk != mine.pk


def test_granting_a_waiver(make_user, client_for):
    place = LocationFactory(name="Manston")
    manager = make_user(Role.LOCATION_MANAGER, full_name="Mo Manager", locations=[place])
    until = london_today() + timedelta(days=7)
    response = client_for(manager).post(
        "/cases/waivers/new/", waiver_form(place, until=until), follow=True
    )
    page = text(response)
    assert "Stage separation is waived at Manston" in page
    assert REASON in page
    assert "by Mo Manager" in page
    assert "In force" in page
    waiver = StageSeparationWaiver.objects.get()
    assert (waiver.location, waiver.valid_until, waiver.granted_by) == (place, until, manager)


def test_a_waiver_with_a_short_reason_is_refused(make_user, client_for):
    place = LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[place])
    response = client_for(manager).post(
        "/cases/waivers/new/", waiver_form(place, reason="Short staffed")
    )
    page = text(response)
    assert response.status_code == 400
    assert (
        '<a href="#id_reason">Explain in at least 20 characters why one officer must do '
        "consecutive steps</a>" in page
    )
    assert not StageSeparationWaiver.objects.exists()


def test_a_waiver_lasting_40_days_is_refused(make_user, client_for):
    place = LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[place])
    response = client_for(manager).post(
        "/cases/waivers/new/",
        waiver_form(place, until=london_today() + timedelta(days=40)),
    )
    page = text(response)
    assert response.status_code == 400
    assert '<a href="#id_valid_until_day">A waiver lasts from today for at most 31 days</a>' in page
    assert not StageSeparationWaiver.objects.exists()


def test_a_waiver_at_another_location_is_refused(make_user, client_for):
    mine, other = LocationFactory(), LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[mine])
    response = client_for(manager).post("/cases/waivers/new/", waiver_form(other))
    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert not StageSeparationWaiver.objects.exists()


@pytest.mark.parametrize("role", [Role.SCREENING_OFFICER, Role.ADMINISTRATOR])
def test_only_location_managers_waive(make_user, client_for, role):
    place = LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[place])
    existing = waiver_grant(
        actor=manager, location=place, reason=REASON, valid_until=london_today()
    )
    client = client_for(make_user(role, locations=[place]))
    assert client.get("/cases/waivers/").status_code == 403
    assert client.post("/cases/waivers/new/", waiver_form(place)).status_code == 403
    assert client.post(f"/cases/waivers/{existing.pk}/revoke/").status_code == 403
    assert StageSeparationWaiver.objects.count() == 1
    existing.refresh_from_db()
    assert existing.revoked_at is None


def test_ending_a_waiver_early(make_user, client_for):
    place = LocationFactory(name="Manston")
    manager = make_user(Role.LOCATION_MANAGER, full_name="Mo Manager", locations=[place])
    waiver = waiver_grant(
        actor=manager,
        location=place,
        reason=REASON,
        valid_until=london_today() + timedelta(days=3),
    )
    client = client_for(manager)
    response = client.post(f"/cases/waivers/{waiver.pk}/revoke/", follow=True)
    page = text(response)
    assert "The waiver at Manston has ended" in page
    assert "Ended" in page
    assert "In force" not in page
    waiver.refresh_from_db()
    assert waiver.revoked_by == manager
    again = client.post(f"/cases/waivers/{waiver.pk}/revoke/")
    assert again.status_code == 409
    assert "This waiver has already ended." in text(again)


def test_a_waiver_at_another_location_is_not_found(make_user, client_for):
    mine, other = LocationFactory(), LocationFactory()
    theirs = make_user(Role.LOCATION_MANAGER, locations=[other])
    waiver = waiver_grant(actor=theirs, location=other, reason=REASON, valid_until=london_today())
    manager = make_user(Role.LOCATION_MANAGER, locations=[mine])
    client = client_for(manager)
    assert REASON not in text(client.get("/cases/waivers/"))
    assert client.post(f"/cases/waivers/{waiver.pk}/revoke/").status_code == 404
    waiver.refresh_from_db()
    assert waiver.revoked_at is None


def test_a_waiver_past_its_date_shows_as_expired(make_user, client_for):
    place = LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[place])
    waiver = waiver_grant(actor=manager, location=place, reason=REASON, valid_until=london_today())
    StageSeparationWaiver.objects.filter(pk=waiver.pk).update(
        valid_until=london_today() - timedelta(days=1)
    )
    page = text(client_for(manager).get("/cases/waivers/"))
    assert "Expired" in page
    assert f"/cases/waivers/{waiver.pk}/revoke/" not in page
