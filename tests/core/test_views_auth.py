"""Signing in: password, second factor, lockout, sessions, sign-out, password links."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.audit.models import AuditEvent
from safepassage.core.middleware import REFRESHED_AT, SIGNED_IN_AT
from safepassage.core.roles import Role
from tests.conftest import current_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _password_step(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    return client.post("/sign-in/", {"username": username, "password": password, "next": next_url})


def test_every_staff_page_needs_sign_in(client):
    response = client.get("/manage/users/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2Fmanage%2Fusers%2F"


def test_password_then_code_signs_in_and_is_audited(make_user):
    user = make_user(Role.ADMINISTRATOR)
    client = Client()
    response = _password_step(client, user.username, next_url="/manage/users/")
    assert response["Location"] == "/sign-in/two-factor/"
    # A password alone opens nothing.
    assert client.get("/manage/users/")["Location"] == "/sign-in/two-factor/"

    response = client.post("/sign-in/two-factor/", {"token": current_code(user)})
    assert response["Location"] == "/manage/users/"
    page = client.get("/").content.decode()
    assert f"Signed in as <strong>{user.full_name}</strong>" in page
    assert "Administrator" in page
    assert AuditEvent.objects.filter(action="core.signed_in", actor=user).count() == 1


def test_a_wrong_code_is_refused_with_a_clear_message(make_user):
    user = make_user(Role.ADMINISTRATOR)
    client = Client()
    _password_step(client, user.username)
    right = current_code(user)
    wrong = "000000" if right != "000000" else "111111"
    response = client.post("/sign-in/two-factor/", {"token": wrong})
    assert response.status_code == 200
    assert "The security code is not right" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert client.get("/")["Location"] == "/sign-in/two-factor/"


def test_next_cannot_send_you_to_another_site(make_user):
    user = make_user(Role.ADMINISTRATOR)
    client = Client()
    _password_step(client, user.username, next_url="https://evil.example/")
    response = client.post("/sign-in/two-factor/", {"token": current_code(user)})
    assert response["Location"] == "/"


def test_first_sign_in_sets_up_the_authenticator_with_a_qr_code(make_user):
    user = make_user(Role.SCREENING_OFFICER, two_factor=False)
    client = Client()
    _password_step(client, user.username)
    assert client.get("/sign-in/two-factor/")["Location"] == "/sign-in/two-factor/set-up/"
    page = client.get("/sign-in/two-factor/set-up/").content.decode()
    assert "<svg" in page
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)
    assert len(secret.replace(" ", "")) == 32
    device = TOTPDevice.objects.get(user=user)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post("/sign-in/two-factor/set-up/", {"token": code})
    assert response["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed


def test_wrong_password_says_so_and_the_account_locks_after_five(make_user, settings):
    user = make_user(Role.SCREENING_OFFICER)
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _password_step(client, user.username, password="wrong-password")
        assert response.status_code == 200
        assert "The username or password is not right" in response.content.decode()
    response = _password_step(client, user.username, password="wrong-password")
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    # Even the right password is refused while locked.
    response = _password_step(client, user.username)
    assert response.status_code == 429


def test_deactivated_user_cannot_sign_in(make_user):
    user = make_user(Role.SCREENING_OFFICER, is_active=False)
    response = _password_step(Client(), user.username)
    assert response.status_code == 200
    assert "The username or password is not right" in response.content.decode()


def test_sign_out_is_a_post_and_ends_the_session(make_user, client_for):
    user = make_user(Role.ADMINISTRATOR)
    client = client_for(user)
    assert client.get("/sign-out/").status_code == 405
    response = client.post("/sign-out/")
    assert response["Location"] == "/sign-in/"
    assert client.get("/")["Location"].startswith("/sign-in/")
    assert AuditEvent.objects.filter(action="core.signed_out", actor=user).exists()


def test_sessions_end_after_the_absolute_limit(make_user, client_for, settings):
    client = client_for(make_user(Role.ADMINISTRATOR))
    assert client.get("/").status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response["Location"] == "/sign-in/"
    assert "Your session has ended" in client.get("/sign-in/").content.decode()


def test_a_session_in_use_keeps_moving_its_idle_limit_on(make_user, client_for, settings):
    """30 minutes idle ends a session; using it moves the limit on, saving the session at most
    once a minute rather than on every page."""
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = client_for(make_user(Role.ADMINISTRATOR))
    assert client.get("/").status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    first_expiry = session.expire_date

    client.get("/")  # within the minute: not saved again
    assert Session.objects.get(session_key=session.session_key).expire_date == first_expiry

    stale = client.session
    stale[REFRESHED_AT] = time.time() - settings.SESSION_REFRESH_SECONDS - 1
    stale.save()
    saved_expiry = Session.objects.get(session_key=session.session_key).expire_date
    time.sleep(0.01)
    client.get("/")  # a minute on: saved, and the idle limit moves
    assert Session.objects.get(session_key=session.session_key).expire_date > saved_expiry

    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_password_link_sets_a_password_once(make_user):
    user = make_user(Role.SCREENING_OFFICER)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    client = Client()
    response = client.get(f"/account/set-password/{uid}/{token}/")
    # Django moves the token out of the address before showing the form.
    assert response["Location"] == f"/account/set-password/{uid}/set-password/"
    form_url = response["Location"]
    weak = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert "This password is too short" in weak.content.decode()
    response = client.post(
        form_url, {"new_password1": "plum orchard lantern", "new_password2": "plum orchard lantern"}
    )
    assert response["Location"] == "/sign-in/"
    user.refresh_from_db()
    assert user.check_password("plum orchard lantern")
    again = Client().get(f"/account/set-password/{uid}/{token}/", follow=True)
    assert "This link does not work" in again.content.decode()
