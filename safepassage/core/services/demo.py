"""Demo-only credentials, so that a new user can sign in as every role at once.

Refused outside local mode: production settings turn DEMO_TOOLS_ENABLED off.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.audit.services import audit_append
from safepassage.core import events
from safepassage.core.actors import Actor
from safepassage.core.errors import PermissionDenied
from safepassage.core.models import User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.services.accounts import TOTP_DEVICE_NAME

DEMO_PASSWORD = "safe-passage-demo"  # noqa: S105 - demo only; refused in production
_DEMO_TOTP_SALT = b"safe-passage demo TOTP keys (never used in production)"


def require_demo_tools() -> None:
    if not settings.DEMO_TOOLS_ENABLED:
        raise PermissionDenied(_("Demo tools are switched off in production."))


def demo_totp_key(username: str) -> str:
    """A stable 20-byte key per demo username, so reseeding never changes anyone's secret."""
    return hmac.new(_DEMO_TOTP_SALT, username.encode(), hashlib.sha256).hexdigest()[:40]


def demo_credentials_install(*, actor: Actor, user: User) -> TOTPDevice:
    """Give a demo account the shared demo password and a confirmed authenticator."""
    require_demo_tools()
    require_permission(actor, Perm.MANAGE_USERS)
    with transaction.atomic():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        audit_append(actor=actor, event=events.PASSWORD_SET, target=user, payload={"demo": True})
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=demo_totp_key(user.username), confirmed=True
        )
        audit_append(
            actor=actor, event=events.TWO_FACTOR_ENROLLED, target=user, payload={"demo": True}
        )
    return device


def demo_current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator shows now, or the next one if now's is spent.

    django-otp accepts each code once (no replays) and tolerates one step of drift, so a second
    demo sign-in within the same 30 seconds uses the next step's code.
    """
    require_demo_tools()
    device.refresh_from_db()
    step_now = int((time.time() - device.t0) // device.step) + device.drift
    drift = device.drift + 1 if device.last_t >= step_now else device.drift
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):0{device.digits}d}"
