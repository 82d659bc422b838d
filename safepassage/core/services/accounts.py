"""Credentials and sign-in: password links, passwords, two-factor devices, lockouts.

Sign-in itself is Django's and django-otp's; these services record what happened and hold the
rules around it.
"""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.audit.services import audit_append
from safepassage.core import events
from safepassage.core.actors import Actor
from safepassage.core.errors import Conflict, ValidationFailed
from safepassage.core.models import User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import required_reason

TOTP_DEVICE_NAME = "Authenticator app"


def password_link_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("core:set_password", kwargs={"uidb64": uid, "token": token})
    return settings.SERVICE_BASE_URL.rstrip("/") + path


def _send_password_link(user_id: int, reason: str) -> None:
    user = User.objects.get(pk=user_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "link": password_link_url(user),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            "reason": reason,
        }
        subject = render_to_string("core/email/password_link_subject.txt", context).strip()
        body = render_to_string("core/email/password_link.txt", context)
    send_mail(subject, body, None, [user.email])


def password_link_send(*, actor: Actor, user: User, reason: str = "reset") -> None:
    """Email the user a single-use link to set their password. Sent only after commit."""
    require_permission(actor, Perm.MANAGE_USERS)
    if not user.is_active:
        raise Conflict(_("Reactivate this account before sending it a sign-in link"))
    if not user.email:
        raise ValidationFailed(_("Add an email address to this account first"), field="email")
    audit_append(
        actor=actor, event=events.PASSWORD_LINK_SENT, target=user, payload={"reason": reason}
    )
    user_id = user.pk
    transaction.on_commit(lambda: _send_password_link(user_id, reason))


def user_password_set(*, user: User, password: str) -> User:
    """The user sets their own password from a valid link (checked by the caller)."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(extra={"fields": {"new_password1": error.messages}}) from error
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_append(actor=user, event=events.PASSWORD_SET, target=user)
    return user


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The unconfirmed device a user is setting up; made on first use, reused until confirmed."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Conflict(_("Two-factor authentication is already set up for this account"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice:
    """Confirm the device with a code from the app; from then on it is required to sign in."""
    token = "".join(token.split())
    if not token.isdigit() or len(token) != 6:
        raise ValidationFailed(
            _("Enter the 6-digit code from your authenticator app"), field="token"
        )
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if device.confirmed:
            raise Conflict(_("Two-factor authentication is already set up for this account"))
        if not device.verify_token(token):
            raise ValidationFailed(
                _("The code is not right. Check the time on your phone and try the newest code"),
                field="token",
            )
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_append(actor=user, event=events.TWO_FACTOR_ENROLLED, target=user)
    return device


def two_factor_reset(*, actor: Actor, user: User, reason: str) -> None:
    """Remove a user's authenticator (a lost phone); they set up a new one at next sign-in."""
    require_permission(actor, Perm.MANAGE_USERS)
    reason = required_reason(reason, _("Give a reason for resetting two-factor authentication"))
    with transaction.atomic():
        removed, _detail = TOTPDevice.objects.filter(user=user).delete()
        audit_append(
            actor=actor,
            event=events.TWO_FACTOR_RESET,
            target=user,
            payload={"reason": reason, "devices_removed": removed},
        )


def account_unlock(*, actor: Actor, user: User) -> int:
    """Lift a lockout caused by repeated failed sign-ins. Returns the attempts cleared."""
    require_permission(actor, Perm.MANAGE_USERS)
    with transaction.atomic():
        cleared = axes_reset(username=user.username)
        audit_append(
            actor=actor, event=events.ACCOUNT_UNLOCKED, target=user, payload={"cleared": cleared}
        )
    return cleared


def sign_in_record(*, user: User) -> None:
    audit_append(actor=user, event=events.SIGNED_IN, target=user)


def sign_out_record(*, user: User) -> None:
    audit_append(actor=user, event=events.SIGNED_OUT, target=user)
