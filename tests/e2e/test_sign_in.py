"""Signing in, in a real browser: enrolment, the second factor, a wrong password, the lockout."""

from __future__ import annotations

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from safepassage.core.roles import Role
from tests.e2e.conftest import assert_accessible, code_for, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_first_sign_in_enrols_an_authenticator_then_signs_in(page: Page, live_server, make_user):
    user = make_user(Role.SCREENING_OFFICER, full_name="Priya Shah", two_factor=False)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=%2F")
    assert_accessible(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.get_by_test_id("totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Security code").fill(f"{totp(key, 30, 0, 6, 0):06d}")
    page.get_by_role("button", name="Confirm and sign in").click()

    expect(page.get_by_text("Two-factor authentication is set up.")).to_be_visible()
    expect(page.get_by_test_id("identity")).to_contain_text("Signed in as Priya Shah")
    expect(page.get_by_test_id("identity-roles")).to_have_text("Screening officer")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    sign_in(page, live_server.url, user.username, PASSWORD)
    expect(page.get_by_test_id("identity")).to_contain_text("Priya Shah")


def test_a_wrong_code_is_explained(page: Page, live_server, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill("12345x")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("The security code is not right")
    expect(page).to_have_title("Error: Enter your security code \u2013 Safe Passage")
    assert_accessible(page)


def test_wrong_password_then_lockout(page: Page, live_server, make_user, settings):
    user = make_user(Role.SCREENING_OFFICER)
    page.goto(f"{live_server.url}/sign-in/")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("not-my-password")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("The username or password is not right")
    assert_accessible(page)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your account is locked")).to_be_visible()


def test_the_security_code_step_cannot_be_skipped(page: Page, live_server, make_user):
    user = make_user(Role.ADMINISTRATOR)
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server.url}/manage/users/")
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.get_by_label("Security code").fill(code_for(TOTPDevice.objects.get(user=user)))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=f"Welcome, {user.full_name}")).to_be_visible()
