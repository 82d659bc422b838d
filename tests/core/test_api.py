"""The core API: authentication, strict input, one error shape, pagination, scoping."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from safepassage.core.models import User
from safepassage.core.roles import Role
from safepassage.core.services.api_tokens import api_token_issue
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def _token_client(admin, user) -> Client:
    issued = api_token_issue(actor=admin, user=user, name="tests", days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def admin_api(admin_user):
    return _token_client(admin_user, admin_user)


def _post(client: Client, path: str, body) -> object:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def test_anonymous_requests_get_401_in_the_error_shape(client):
    response = client.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_wrong_token_is_refused(client):
    response = client.get("/api/me/", HTTP_AUTHORIZATION="Bearer sp_not-a-real-token")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The API token is not valid, or has expired."


def test_a_password_only_session_is_not_enough(make_user):
    user = make_user(Role.ADMINISTRATOR)
    client = Client()
    client.force_login(user)  # no second factor
    assert client.get("/api/me/").status_code == 401


def test_me(admin_user, admin_api):
    body = admin_api.get("/api/me/").json()
    assert body["username"] == admin_user.username
    assert body["roles"] == ["administrator"]


def test_unknown_fields_are_rejected(admin_api):
    response = _post(
        admin_api,
        "/api/locations/",
        {"code": "dover", "name": "Dover", "kind": "port", "colour": "blue"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "validation_failed",
            "message": "Check the fields below.",
            "fields": {"colour": ["This field is not recognised."]},
        }
    }


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "null", ""])
def test_malformed_bodies_get_400_never_500(admin_api, body):
    response = admin_api.post("/api/locations/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] in {"malformed_request", "validation_failed"}


def test_field_errors_come_back_per_field(admin_api):
    response = _post(admin_api, "/api/locations/", {"code": "", "kind": "castle"})
    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert fields["name"] == ["This field is required."]
    assert fields["kind"] == ['"castle" is not a valid choice.']


def test_service_rules_come_back_in_the_same_shape(admin_api):
    LocationFactory(code="dover", name="Dover")
    response = _post(admin_api, "/api/locations/", {"code": "dover", "name": "x", "kind": "port"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["code"] == ["Another location already has this code"]


def test_create_user_and_a_repeat_does_not_duplicate(admin_api):
    LocationFactory(code="manston")
    body = {
        "username": "p.shah",
        "full_name": "Priya Shah",
        "email": "priya@example.org",
        "roles": ["screening_officer"],
        "locations": ["manston"],
    }
    first = _post(admin_api, "/api/users/", body)
    assert first.status_code == 201
    assert first.json()["locations"] == ["manston"]
    again = _post(admin_api, "/api/users/", body)
    assert again.status_code == 400
    assert again.json()["error"]["fields"]["username"] == ["This username is already taken"]
    assert User.objects.filter(username="p.shah").count() == 1


def test_unknown_location_code_is_a_field_error(admin_api):
    response = _post(
        admin_api,
        "/api/users/",
        {
            "username": "p.shah",
            "full_name": "Priya Shah",
            "email": "priya@example.org",
            "roles": ["screening_officer"],
            "locations": ["atlantis"],
        },
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["locations"] == ["Unknown location code: atlantis"]


def test_permission_denied_is_403_in_the_error_shape(admin_user, make_user):
    officer = make_user(Role.SCREENING_OFFICER)
    client = _token_client(admin_user, officer)
    response = _post(client, "/api/locations/", {"code": "dover", "name": "Dover", "kind": "port"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_out_of_scope_record_is_404(admin_user, make_user):
    manager = make_user(Role.LOCATION_MANAGER, locations=[LocationFactory()])
    elsewhere = make_user(Role.SCREENING_OFFICER, locations=[LocationFactory()])
    client = _token_client(admin_user, manager)
    response = client.get(f"/api/users/{elsewhere.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_lists_are_paginated(admin_user, admin_api, make_user):
    for _ in range(3):
        make_user(Role.SCREENING_OFFICER)
    body = admin_api.get("/api/users/?page_size=2").json()
    assert body["count"] == 4
    assert len(body["results"]) == 2
    assert body["next"].endswith("page=2&page_size=2")


def test_bad_query_parameters_are_field_errors(admin_api):
    response = admin_api.get("/api/users/?status=sleeping&page_size=0")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"status", "page_size"}


def test_deactivate_through_the_api_needs_a_reason(admin_api, make_user):
    officer = make_user(Role.SCREENING_OFFICER)
    response = _post(admin_api, f"/api/users/{officer.pk}/deactivate/", {})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["reason"] == ["This field is required."]
    response = _post(admin_api, f"/api/users/{officer.pk}/deactivate/", {"reason": "Has left"})
    assert response.status_code == 200
    assert response.json()["is_active"] is False


def test_schema_and_docs_are_published(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/users/" in schema.content
    assert client.get("/api/docs/").status_code == 200
