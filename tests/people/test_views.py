"""People pages: permissions, bad input, the read log, the match decision."""

from __future__ import annotations

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.core.roles import Role
from safepassage.people import services
from safepassage.people.models import Person

pytestmark = pytest.mark.django_db

FORM = {
    "given_names": "Yonas",
    "family_name": "Tesfay",
    "original_script": "Ethi",
    "given_names_original": "ዮናስ",
    "family_name_original": "ተስፋይ",
    "date_of_birth_day": "",
    "date_of_birth_month": "",
    "date_of_birth_year": "1996",
    "sex": "M",
    "nationality": "ERI",
    "place_of_birth": "Asmara",
    "languages": ["ti"],
}


def test_recording_a_person_goes_on_to_the_candidates(make_user, client_for):
    client = client_for(make_user(Role.REGISTRATION_OFFICER))
    response = client.post("/people/new/", FORM)
    person = Person.objects.get()
    assert response["Location"] == f"/people/{person.pk}/matches/"
    page = client.get(response["Location"]).content.decode()
    assert "Nobody on record looks like the same person." in page


def test_a_month_without_a_year_is_refused_with_a_clear_message(make_user, client_for):
    client = client_for(make_user(Role.REGISTRATION_OFFICER))
    page = client.post(
        "/people/new/", {**FORM, "date_of_birth_month": "5", "date_of_birth_year": ""}
    ).content.decode()
    assert "Enter the year, and the month if you give a day" in page
    assert not Person.objects.exists()


def test_a_document_needs_its_number(make_user, client_for):
    client = client_for(make_user(Role.REGISTRATION_OFFICER))
    page = client.post("/people/new/", {**FORM, "document_type": "passport"}).content.decode()
    assert "Enter the document number" in page
    assert not Person.objects.exists()


def test_roles_without_permission_cannot_record_or_see_people(make_user, client_for):
    interpreter = client_for(make_user(Role.INTERPRETER))
    assert interpreter.get("/people/").status_code == 403
    screening = client_for(make_user(Role.SCREENING_OFFICER))
    assert screening.get("/people/").status_code == 200
    assert screening.get("/people/new/").status_code == 403


def test_viewing_a_record_is_logged_and_shows_both_scripts(make_user, client_for):
    officer = make_user(Role.REGISTRATION_OFFICER)
    person = services.person_register(
        actor=officer,
        identity=services.IdentityInput(
            given_names="Yonas",
            family_name="Tesfay",
            given_names_original="ዮናስ",
            family_name_original="ተስፋይ",
            original_script="Ethi",
            date_of_birth="1996",
        ),
    )
    page = client_for(officer).get(f"/people/{person.pk}/").content.decode()
    assert "ዮናስ ተስፋይ" in page
    assert AuditEvent.objects.filter(stream="access", object_id=str(person.pk)).exists()


def test_search_finds_a_person_by_another_spelling(make_user, client_for):
    officer = make_user(Role.REGISTRATION_OFFICER)
    services.person_register(
        actor=officer,
        identity=services.IdentityInput(
            given_names="Mohammed", family_name="Hosseini", date_of_birth="1990"
        ),
    )
    page = client_for(officer).get("/people/?text=Muhammad").content.decode()
    assert "Mohammed Hosseini" in page
