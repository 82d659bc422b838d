"""POST /api/applications/: a partner system submits whole applications, exactly once each."""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from safepassage.applications.api import EXAMPLE
from safepassage.applications.models import (
    Application,
    PartnerConsent,
    PartnerMembership,
    PartnerOrganisation,
)
from safepassage.applications.references import is_valid_reference
from safepassage.core.roles import Role
from safepassage.core.services.api_tokens import api_token_issue

pytestmark = pytest.mark.django_db


def _client(admin, user) -> Client:
    issued = api_token_issue(actor=admin, user=user, name="partner system", days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


@pytest.fixture
def partner(make_user):
    organisation = PartnerOrganisation.objects.create(code="refuge-aid", name="Refuge Aid")
    user = make_user(Role.PARTNER_CASEWORKER)
    PartnerMembership.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def partner_api(admin_user, partner) -> Client:
    return _client(admin_user, partner)


def _post(client: Client, body: Any, key: str | None = "key-0000000001") -> HttpResponse:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(  # type: ignore[return-value]
        "/api/applications/", json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_partner_system_submits_an_application_with_a_child(partner_api, partner):
    response = _post(partner_api, EXAMPLE)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert is_valid_reference(body["reference"])
    assert body["status"] == "received"
    assert len(body["family_members"]) == 1
    application = Application.objects.get(reference=body["reference"])
    assert application.channel == "api"
    assert application.helped_by.code == "refuge-aid"
    assert application.started_by == partner
    assert application.nationality == "SYR"
    assert application.declared_vulnerability
    consent = PartnerConsent.objects.get(application=application)
    assert consent.method == "verbal"
    assert consent.recorded_by == partner
    child = application.family_members.get()
    assert child.is_child
    assert child.answers["name"]["given_names"] == "Rami"


def test_a_retry_with_the_same_key_returns_the_first_application(partner_api):
    first = _post(partner_api, EXAMPLE)
    second = _post(partner_api, EXAMPLE)
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["reference"] == first.json()["reference"]
    assert Application.objects.filter(lead__isnull=True).count() == 1
    assert Application.objects.count() == 2  # the main application and the child's


def test_the_same_key_with_a_different_body_is_refused(partner_api):
    assert _post(partner_api, EXAMPLE).status_code == 201
    changed = copy.deepcopy(EXAMPLE)
    changed["answers"]["name"]["given_names"] = "Amira"
    response = _post(partner_api, changed)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Application.objects.filter(lead__isnull=True).count() == 1


def test_a_new_key_makes_a_new_application(partner_api):
    assert _post(partner_api, EXAMPLE, key="key-0000000001").status_code == 201
    assert _post(partner_api, EXAMPLE, key="key-0000000002").status_code == 201
    assert Application.objects.filter(lead__isnull=True).count() == 2


@pytest.mark.parametrize("key", [None, "short", "x" * 65, "ключ-00000001"])
def test_a_missing_or_malformed_key_is_refused(partner_api, key):
    response = _post(partner_api, EXAMPLE, key=key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert Application.objects.count() == 0


def test_answers_are_checked_by_the_portal_s_own_rules(partner_api):
    bad = copy.deepcopy(EXAMPLE)
    bad["answers"]["location"] = {"current_country": "GBR"}
    bad["answers"]["date-of-birth"] = {"date_of_birth": "1990-02-31"}
    bad["answers"]["name"]["given_names"] = "أمل"
    del bad["answers"]["declaration"]
    bad["answers"]["surprise"] = {}
    response = _post(partner_api, bad)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "answers.location.current_country" in fields
    assert "answers.date-of-birth.date_of_birth" in fields
    assert "answers.name.given_names" in fields
    assert "answers.declaration" in fields
    assert "answers.surprise" in fields
    assert Application.objects.count() == 0


def test_consent_must_be_recorded(partner_api):
    body = copy.deepcopy(EXAMPLE)
    body["consent"] = {"script_read": False}
    response = _post(partner_api, body)
    assert response.status_code == 400
    assert "consent.script_read" in response.json()["error"]["fields"]


def test_unknown_top_level_fields_are_rejected(partner_api):
    response = _post(partner_api, {**EXAMPLE, "priority": "high"})
    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_only_partner_caseworkers_in_an_organisation_may_submit(admin_user, make_user):
    officer = _client(admin_user, make_user(Role.REGISTRATION_OFFICER))
    assert _post(officer, EXAMPLE).status_code == 403
    loner = _client(admin_user, make_user(Role.PARTNER_CASEWORKER))
    assert _post(loner, EXAMPLE).status_code == 403
    assert Application.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_one_application(admin_user, make_user):
    if connection.vendor == "sqlite":
        # The test database is SQLite's shared-cache memory database, which raises "table is
        # locked" between threads instead of queueing them as the file database does. CI runs
        # this race on PostgreSQL.
        pytest.skip("needs a database that queues concurrent writers (PostgreSQL in CI)")
    organisation = PartnerOrganisation.objects.create(code="refuge-aid", name="Refuge Aid")
    user = make_user(Role.PARTNER_CASEWORKER)
    PartnerMembership.objects.create(user=user, organisation=organisation)
    issued = api_token_issue(actor=admin_user, user=user, name="partner system", days=1)
    statuses: list[int] = []

    def send() -> None:
        client = Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
        statuses.append(_post(client, EXAMPLE, key="race-00000001").status_code)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 200, 200, 201]
    assert Application.objects.filter(lead__isnull=True).count() == 1
