"""Administrators and location managers record and withdraw accreditations on the staff pages."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from django.utils import timezone

from safepassage.core.roles import Role
from safepassage.policy.services import london_today
from safepassage.workforce.models import Accreditation, AccreditationKind
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def held(user, kind=AccreditationKind.SCREENING, *, starts=-30, ends=300, by=None):
    today = london_today()
    return Accreditation.objects.create(
        holder=user,
        kind=kind,
        valid_from=today + timedelta(days=starts),
        expires_on=today + timedelta(days=ends),
        granted_by=by,
    )


def dates(prefix: str, day: date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_the_list_shows_staff_with_what_they_hold_today(make_user, client_for):
    manston, dover = LocationFactory(), LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[manston])
    priya = make_user(Role.SCREENING_OFFICER, full_name="Priya Shah", locations=[manston])
    tom = make_user(Role.SCREENING_OFFICER, full_name="Tom Reid", locations=[dover])
    held(priya, AccreditationKind.SCREENING, ends=10)
    held(priya, AccreditationKind.CHILD_INTERVIEWS, ends=200)
    held(priya, AccreditationKind.QA_REVIEWER, starts=-400, ends=-1)  # expired
    held(tom)
    response = client_for(manager).get("/workforce/accreditations/")
    page = text(response)
    assert response.status_code == 200
    assert "Priya Shah" in page
    assert "Tom Reid" not in page  # not at the manager's location
    assert "Screening interviews" in page
    assert "Interviews with children" in page
    assert "Quality assurance review" not in page
    assert page.count('data-testid="expiring"') == 1
    assert "Expires soon" in page


def test_the_list_searches_by_name(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    make_user(Role.SCREENING_OFFICER, full_name="Priya Shah")
    make_user(Role.SCREENING_OFFICER, full_name="Tom Reid")
    page = text(client_for(admin).get("/workforce/accreditations/?search=priya"))
    assert "Priya Shah" in page
    assert "Tom Reid" not in page


def test_one_persons_page_shows_current_expired_and_withdrawn(make_user, client_for):
    place = LocationFactory()
    admin = make_user(Role.ADMINISTRATOR, full_name="Ada Admin")
    officer = make_user(Role.SCREENING_OFFICER, full_name="Priya Shah", locations=[place])
    held(officer, AccreditationKind.SCREENING, by=admin)
    held(officer, AccreditationKind.QA_REVIEWER, starts=-400, ends=-5, by=admin)
    gone = held(officer, AccreditationKind.CHILD_INTERVIEWS, by=admin)
    Accreditation.objects.filter(pk=gone.pk).update(
        withdrawn_at=timezone.now(), withdrawn_by=admin, withdrawal_reason="Failed the refresher"
    )
    page = text(client_for(admin).get(f"/workforce/accreditations/{officer.pk}/"))
    assert 'data-testid="current-screening"' in page
    assert "by Ada Admin" in page
    assert 'data-testid="expired"' in page
    assert 'data-testid="withdrawn"' in page
    assert "Failed the refresher" in page
    assert page.count("/workforce/accreditations/withdraw/") == 1  # only the current one
    assert f'action="/workforce/accreditations/{officer.pk}/grant/"' in page


def test_recording_an_accreditation(make_user, client_for):
    place = LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[place])
    officer = make_user(Role.SCREENING_OFFICER, locations=[place])
    today = london_today()
    response = client_for(manager).post(
        f"/workforce/accreditations/{officer.pk}/grant/",
        {
            "kind": AccreditationKind.CHILD_INTERVIEWS,
            **dates("valid_from", today),
            **dates("expires_on", today + timedelta(days=365)),
        },
        follow=True,
    )
    assert "The accreditation is recorded." in text(response)
    accreditation = Accreditation.objects.get()
    assert (accreditation.holder, accreditation.kind, accreditation.granted_by) == (
        officer,
        AccreditationKind.CHILD_INTERVIEWS,
        manager,
    )
    assert accreditation.is_valid_on(today)


def test_an_accreditation_that_expires_before_it_starts_is_refused(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.SCREENING_OFFICER)
    today = london_today()
    response = client_for(admin).post(
        f"/workforce/accreditations/{officer.pk}/grant/",
        {
            "kind": AccreditationKind.SCREENING,
            **dates("valid_from", today),
            **dates("expires_on", today - timedelta(days=1)),
        },
    )
    page = text(response)
    assert response.status_code == 400
    assert (
        '<a href="#id_expires_on_day">The expiry date must be on or after the start date</a>'
        in page
    )
    assert not Accreditation.objects.exists()


def test_missing_fields_are_named(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.SCREENING_OFFICER)
    response = client_for(admin).post(f"/workforce/accreditations/{officer.pk}/grant/", {})
    page = text(response)
    assert response.status_code == 400
    assert "Choose an accreditation" in page
    assert "Enter the date the accreditation starts" in page
    assert "Enter the date the accreditation expires" in page
    assert not Accreditation.objects.exists()


def test_nobody_records_their_own_accreditation(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    today = london_today()
    client = client_for(admin)
    page = text(client.get(f"/workforce/accreditations/{admin.pk}/"))
    assert 'data-testid="grant-form"' not in page
    response = client.post(
        f"/workforce/accreditations/{admin.pk}/grant/",
        {
            "kind": AccreditationKind.SCREENING,
            **dates("valid_from", today),
            **dates("expires_on", today + timedelta(days=30)),
        },
    )
    assert "You cannot record an accreditation for yourself" in text(response)
    assert not Accreditation.objects.exists()


def test_withdrawing_an_accreditation(make_user, client_for):
    place = LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, full_name="Mo Manager", locations=[place])
    officer = make_user(Role.SCREENING_OFFICER, locations=[place])
    accreditation = held(officer)
    response = client_for(manager).post(
        f"/workforce/accreditations/withdraw/{accreditation.pk}/",
        {f"withdraw-{accreditation.pk}-reason": "Did not complete the refresher course"},
        follow=True,
    )
    page = text(response)
    assert "The accreditation is withdrawn." in page
    assert "Did not complete the refresher course" in page
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_by == manager
    assert not accreditation.is_valid_on(london_today())


def test_a_withdrawal_needs_a_real_reason(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    accreditation = held(make_user(Role.SCREENING_OFFICER))
    response = client_for(admin).post(
        f"/workforce/accreditations/withdraw/{accreditation.pk}/",
        {f"withdraw-{accreditation.pk}-reason": "no"},
    )
    page = text(response)
    assert response.status_code == 400
    assert (
        f'<a href="#id_withdraw-{accreditation.pk}-reason">'
        "Say why the accreditation is withdrawn</a>" in page
    )
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_at is None


def test_withdrawing_twice_is_a_conflict(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    accreditation = held(make_user(Role.SCREENING_OFFICER))
    client = client_for(admin)
    data = {f"withdraw-{accreditation.pk}-reason": "Left the screening team"}
    client.post(f"/workforce/accreditations/withdraw/{accreditation.pk}/", data)
    response = client.post(f"/workforce/accreditations/withdraw/{accreditation.pk}/", data)
    assert response.status_code == 409
    assert "This accreditation has already been withdrawn." in text(response)


def test_a_screening_officer_is_refused(make_user, client_for):
    place = LocationFactory()
    officer = make_user(Role.SCREENING_OFFICER, locations=[place])
    colleague = make_user(Role.SCREENING_OFFICER, locations=[place])
    accreditation = held(colleague)
    client = client_for(officer)
    today = london_today()
    assert client.get("/workforce/accreditations/").status_code == 403
    assert client.get(f"/workforce/accreditations/{colleague.pk}/").status_code == 403
    grant = client.post(
        f"/workforce/accreditations/{colleague.pk}/grant/",
        {
            "kind": AccreditationKind.SCREENING,
            **dates("valid_from", today),
            **dates("expires_on", today + timedelta(days=30)),
        },
    )
    assert grant.status_code == 403
    withdraw = client.post(
        f"/workforce/accreditations/withdraw/{accreditation.pk}/",
        {f"withdraw-{accreditation.pk}-reason": "Trying to withdraw it myself"},
    )
    assert withdraw.status_code == 403
    assert Accreditation.objects.count() == 1
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_at is None


def test_staff_at_another_location_are_not_found(make_user, client_for):
    manston, dover = LocationFactory(), LocationFactory()
    manager = make_user(Role.LOCATION_MANAGER, locations=[manston])
    elsewhere = make_user(Role.SCREENING_OFFICER, locations=[dover])
    accreditation = held(elsewhere)
    client = client_for(manager)
    today = london_today()
    assert client.get(f"/workforce/accreditations/{elsewhere.pk}/").status_code == 404
    grant = client.post(
        f"/workforce/accreditations/{elsewhere.pk}/grant/",
        {
            "kind": AccreditationKind.SCREENING,
            **dates("valid_from", today),
            **dates("expires_on", today + timedelta(days=30)),
        },
    )
    assert grant.status_code == 404
    withdraw = client.post(
        f"/workforce/accreditations/withdraw/{accreditation.pk}/",
        {f"withdraw-{accreditation.pk}-reason": "Not mine to withdraw at all"},
    )
    assert withdraw.status_code == 404
    assert client.get("/workforce/accreditations/99999/").status_code == 404
    assert Accreditation.objects.count() == 1
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_at is None
