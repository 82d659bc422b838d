"""Credentials: password links, passwords, authenticators, lockouts, API tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.audit.models import AuditEvent
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.core.selectors import account_is_locked
from safepassage.core.services.accounts import (
    account_unlock,
    password_link_send,
    totp_device_for_enrolment,
    totp_enrolment_confirm,
    two_factor_reset,
    user_password_set,
)
from safepassage.core.services.api_tokens import (
    api_token_authenticate,
    api_token_issue,
    api_token_revoke,
)
from safepassage.core.services.users import user_deactivate

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_password_link_is_sent_after_commit(
    admin_user, make_user, django_capture_on_commit_callbacks
):
    user = make_user(Role.SCREENING_OFFICER)
    with django_capture_on_commit_callbacks(execute=True):
        password_link_send(actor=admin_user, user=user)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Set a new password for Safe Passage"
    assert AuditEvent.objects.filter(action="core.password_link_sent").count() == 1


def test_password_link_refused_for_deactivated_account(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER, is_active=False)
    with pytest.raises(Conflict):
        password_link_send(actor=admin_user, user=user)


def test_weak_password_is_refused_with_the_validators_messages(make_user):
    user = make_user(Role.SCREENING_OFFICER)
    with pytest.raises(ValidationFailed) as refused:
        user_password_set(user=user, password="12345")
    messages = refused.value.field_errors()["new_password1"]
    assert "This password is too short. It must contain at least 12 characters." in messages
    assert user.check_password("correct-horse-battery")


def test_password_set_is_audited(make_user):
    user = make_user(Role.SCREENING_OFFICER)
    user_password_set(user=user, password="plum orchard lantern")
    assert user.check_password("plum orchard lantern")
    assert AuditEvent.objects.filter(action="core.password_set", actor=user).exists()


def test_totp_enrolment_needs_a_right_code(make_user):
    user = make_user(Role.SCREENING_OFFICER, two_factor=False)
    device = totp_device_for_enrolment(user=user)
    assert totp_device_for_enrolment(user=user).pk == device.pk  # reused until confirmed
    with pytest.raises(ValidationFailed) as wrong:
        totp_enrolment_confirm(
            user=user, device=device, token="000000" if _code(device) != "000000" else "111111"
        )
    assert wrong.value.field_errors()["token"][0].startswith("The code is not right")
    with pytest.raises(ValidationFailed) as malformed:
        totp_enrolment_confirm(user=user, device=device, token="12ab")
    assert malformed.value.field_errors()["token"] == [
        "Enter the 6-digit code from your authenticator app"
    ]
    device.refresh_from_db()
    assert not device.confirmed


def test_totp_enrolment_confirms_device(make_user):
    user = make_user(Role.SCREENING_OFFICER, two_factor=False)
    device = totp_device_for_enrolment(user=user)
    totp_enrolment_confirm(user=user, device=device, token=_code(device))
    device.refresh_from_db()
    assert device.confirmed
    with pytest.raises(Conflict):
        totp_device_for_enrolment(user=user)
    assert AuditEvent.objects.filter(action="core.two_factor_enrolled").count() == 1


def test_two_factor_reset_removes_devices(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    two_factor_reset(actor=admin_user, user=user, reason="Lost work phone")
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert AuditEvent.objects.get(action="core.two_factor_reset").payload["devices_removed"] == 1


def test_two_factor_reset_needs_permission(make_user):
    officer = make_user(Role.SCREENING_OFFICER)
    other = make_user(Role.SCREENING_OFFICER)
    with pytest.raises(PermissionDenied):
        two_factor_reset(actor=officer, user=other, reason="Lost work phone")
    assert TOTPDevice.objects.filter(user=other).exists()


def test_unlock_clears_the_lockout(admin_user, make_user, settings):
    user = make_user(Role.SCREENING_OFFICER)
    AccessAttempt.objects.create(
        username=user.username,
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/sign-in/",
    )
    assert account_is_locked(user=user)
    assert account_unlock(actor=admin_user, user=user) == 1
    assert not account_is_locked(user=user)


def test_api_token_secret_is_shown_once_and_only_its_digest_is_kept(admin_user, make_user):
    user = make_user(Role.PARTNER_CASEWORKER)
    issued = api_token_issue(actor=admin_user, user=user, name="Partner system", days=30)
    assert issued.secret.startswith("sp_")
    assert issued.secret not in issued.token.digest
    assert api_token_authenticate(issued.secret).pk == issued.token.pk
    assert api_token_authenticate(issued.secret + "x") is None
    api_token_revoke(actor=admin_user, token=issued.token)
    assert api_token_authenticate(issued.secret) is None


def test_api_token_stops_when_expired_or_account_deactivated(admin_user, make_user):
    user = make_user(Role.PARTNER_CASEWORKER)
    issued = api_token_issue(actor=admin_user, user=user, name="Partner system", days=30)
    issued.token.expires_at = timezone.now() - timedelta(seconds=1)
    issued.token.save()
    assert api_token_authenticate(issued.secret) is None
    fresh = api_token_issue(actor=admin_user, user=user, name="Partner system 2", days=30)
    user_deactivate(actor=admin_user, user=user, reason="Partnership ended")
    assert api_token_authenticate(fresh.secret) is None


def test_api_token_bad_input(admin_user, make_user):
    user = make_user(Role.PARTNER_CASEWORKER)
    with pytest.raises(ValidationFailed) as refused:
        api_token_issue(actor=admin_user, user=user, name=" ", days=0)
    assert refused.value.field_errors() == {
        "name": ["Enter a name that says what the token is for"],
        "days": ["A token must last between 1 and 366 days"],
    }
