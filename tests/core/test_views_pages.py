"""Pages every visitor meets: errors, languages, cookies, security headers."""

from __future__ import annotations

import pytest
from django.test import Client

from safepassage.core.roles import Role

pytestmark = pytest.mark.django_db


def test_public_pages_need_no_sign_in(client):
    for path in ("/cookies/", "/accessibility/", "/sign-in/"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_healthz_checks_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_not_found_page_is_in_the_service_style(make_user, client_for):
    response = client_for(make_user(Role.SCREENING_OFFICER)).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "govuk-template" in page


def test_a_role_without_permission_gets_the_403_page(make_user, client_for):
    response = client_for(make_user(Role.SCREENING_OFFICER)).get("/manage/users/")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.content.decode()


def test_language_switch_sets_a_cookie_and_flips_the_page_right_to_left(client):
    response = client.get("/language/ar/?next=/cookies/")
    assert response["Location"] == "/cookies/"
    assert response.cookies["safepassage_language"].value == "ar"
    page = client.get("/cookies/").content.decode()
    assert '<html lang="ar" dir="rtl"' in page
    assert "app.rtl.css" in page


def test_language_switch_ignores_unknown_languages_and_foreign_next(client):
    response = client.get("/language/xx/?next=https://evil.example/")
    assert response["Location"] == "/"
    assert "safepassage_language" not in response.cookies


def test_security_headers_and_csp_nonce(client):
    response = client.get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_csrf_is_enforced_with_a_clear_page(make_user):
    user = make_user(Role.ADMINISTRATOR)
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"username": user.username, "password": "x"})
    assert response.status_code == 403
    assert "Your form has expired" in response.content.decode()
