"""Administrators manage users and locations on the staff pages."""

from __future__ import annotations

import pytest
from django.core import mail

from safepassage.audit.models import AuditEvent
from safepassage.core.models import Location, User
from safepassage.core.roles import Role
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_user_list_filters_and_is_scoped(make_user, client_for):
    manston, dover = LocationFactory(name="Manston"), LocationFactory(name="Dover")
    make_user(Role.SCREENING_OFFICER, full_name="Priya Shah", locations=[manston])
    make_user(Role.SCREENING_OFFICER, full_name="Tom Reid", locations=[dover])
    admin = make_user(Role.ADMINISTRATOR)
    page = client_for(admin).get("/manage/users/?search=priya").content.decode()
    assert "Priya Shah" in page
    assert "Tom Reid" not in page

    manager = make_user(Role.LOCATION_MANAGER, locations=[manston])
    page = client_for(manager).get("/manage/users/").content.decode()
    assert "Priya Shah" in page
    assert "Tom Reid" not in page  # not at the manager's location
    assert "Create a user" not in page


def test_out_of_scope_user_is_not_found_not_forbidden(make_user, client_for):
    manston, dover = LocationFactory(), LocationFactory()
    elsewhere = make_user(Role.SCREENING_OFFICER, locations=[dover])
    manager = make_user(Role.LOCATION_MANAGER, locations=[manston])
    assert client_for(manager).get(f"/manage/users/{elsewhere.pk}/").status_code == 404


def test_create_user_through_the_page(make_user, client_for, django_capture_on_commit_callbacks):
    admin = make_user(Role.ADMINISTRATOR)
    manston = LocationFactory(name="Manston")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            "/manage/users/new/",
            {
                "full_name": "Priya Shah",
                "username": "p.shah",
                "email": "priya@example.org",
                "roles": [Role.SCREENING_OFFICER],
                "locations": [manston.pk],
            },
            follow=True,
        )
    page = response.content.decode()
    assert "Account created for Priya Shah" in page
    assert User.objects.get(username="p.shah").role_codes == [Role.SCREENING_OFFICER]
    assert len(mail.outbox) == 1


def test_create_user_with_bad_input_shows_the_error_summary_and_changes_nothing(
    make_user, client_for
):
    admin = make_user(Role.ADMINISTRATOR)
    before = User.objects.count()
    response = client_for(admin).post(
        "/manage/users/new/", {"full_name": "", "username": "Bad Name!", "email": "nope"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert '<a href="#id_full_name">Enter the person&#x27;s full name</a>' in page
    assert '<a href="#id_roles_0">Choose at least one role</a>' in page
    assert "Enter an email address in the correct format" in page
    assert page.count("<title>Error:") == 1
    assert User.objects.count() == before


def test_service_rule_errors_land_on_the_form(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    make_user(Role.SCREENING_OFFICER, username="taken.name")
    response = client_for(admin).post(
        "/manage/users/new/",
        {
            "full_name": "Someone",
            "username": "taken.name",
            "email": "someone@example.org",
            "roles": [Role.INTERPRETER, Role.SCREENING_OFFICER],
            "locations": [LocationFactory().pk],
        },
    )
    page = response.content.decode()
    assert "This username is already taken" in page
    assert "A partner caseworker or interpreter account cannot hold any other role" in page


def test_viewing_a_user_writes_a_read_access_event(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.SCREENING_OFFICER)
    client_for(admin).get(f"/manage/users/{officer.pk}/")
    event = AuditEvent.objects.get(stream="access")
    assert (event.actor_id, event.object_type, event.object_id) == (
        admin.pk,
        "core.user",
        str(officer.pk),
    )


def test_deactivate_user_through_the_page(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.SCREENING_OFFICER)
    client = client_for(admin)
    empty = client.post(f"/manage/users/{officer.pk}/deactivate/", {"reason": ""})
    assert "Give a reason" in empty.content.decode()
    officer.refresh_from_db()
    assert officer.is_active
    response = client.post(
        f"/manage/users/{officer.pk}/deactivate/", {"reason": "Left the department"}, follow=True
    )
    assert "account is deactivated" in response.content.decode()
    officer.refresh_from_db()
    assert not officer.is_active


def test_there_is_no_way_to_delete_a_user(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    officer = make_user(Role.SCREENING_OFFICER)
    page = client_for(admin).get(f"/manage/users/{officer.pk}/").content.decode()
    assert "Delete" not in page
    assert client_for(admin).post(f"/manage/users/{officer.pk}/delete/").status_code == 404


def test_create_and_deactivate_location_through_the_pages(make_user, client_for):
    admin = make_user(Role.ADMINISTRATOR)
    client = client_for(admin)
    bad = client.post("/manage/locations/new/", {"name": "", "code": "", "kind": ""})
    assert "Enter the location&#x27;s name" in bad.content.decode()
    response = client.post(
        "/manage/locations/new/",
        {"name": "Dover", "code": "dover", "kind": "port", "region": "Kent"},
        follow=True,
    )
    assert "Location Dover created" in response.content.decode()
    dover = Location.objects.get(code="dover")
    client.post(f"/manage/locations/{dover.pk}/deactivate/", {"reason": "Closed for winter"})
    dover.refresh_from_db()
    assert not dover.is_active


def test_audit_log_page_for_auditors_only(make_user, client_for):
    auditor = make_user(Role.AUDITOR)
    officer = make_user(Role.SCREENING_OFFICER)
    assert client_for(officer).get("/audit/").status_code == 403
    page = client_for(auditor).get("/audit/").content.decode()
    assert "Audit log" in page
    assert officer.full_name not in page  # pseudonymous: actors by id only


def test_audit_filter_with_an_impossible_date_gets_a_clear_message(make_user, client_for):
    auditor = make_user(Role.AUDITOR)
    page = client_for(auditor).get("/audit/?on_or_after=2026-02-30").content.decode()
    assert "Enter a real date, like 2026-11-24" in page


def test_auditor_can_request_a_verification(
    make_user, client_for, django_capture_on_commit_callbacks
):
    auditor = make_user(Role.AUDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(auditor).post("/audit/verifications/request/", follow=True)
    assert "Verification requested" in response.content.decode()
    assert AuditEvent.objects.filter(action="audit.verification_requested").exists()
