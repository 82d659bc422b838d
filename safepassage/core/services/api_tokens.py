"""API tokens for partner systems and scripts. The secret is shown once and never stored."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core import events
from safepassage.core.actors import Actor
from safepassage.core.errors import Conflict
from safepassage.core.models import ApiToken, User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import FieldErrors

TOKEN_PREFIX = "sp_"  # noqa: S105 - a public marker, not a secret
MAX_DAYS = 366


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the person issuing it, once


def api_token_issue(*, actor: Actor, user: User, name: str, days: int = 90) -> IssuedToken:
    require_permission(actor, Perm.ISSUE_API_TOKENS)
    errors = FieldErrors()
    name = " ".join(name.split())
    if not name:
        errors.add("name", _("Enter a name that says what the token is for"))
    elif len(name) > 80:
        errors.add("name", _("Name must be 80 characters or fewer"))
    if not 1 <= days <= MAX_DAYS:
        errors.add("days", _("A token must last between 1 and 366 days"))
    if not user.is_active:
        errors.add("user", _("Choose an active account"))
    errors.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=token_digest(secret),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit_append(
            actor=actor,
            event=events.API_TOKEN_ISSUED,
            target=token,
            payload={"user_id": user.pk, "name": name, "days": days},
        )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    require_permission(actor, Perm.ISSUE_API_TOKENS)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise Conflict(_("This token is already revoked"))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_append(actor=actor, event=events.API_TOKEN_REVOKED, target=token)
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The usable token for this secret, or None. Marks it used (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    now = timezone.now()
    if token is None or not token.is_usable(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
