"""The permission check every service starts with."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from safepassage.core.actors import Actor
from safepassage.core.errors import PermissionDenied


def has_permission(actor: Actor | None, permission: str) -> bool:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    return bool(actor.has_perm(permission))


def require_permission(actor: Actor | None, permission: str) -> None:
    """Raise PermissionDenied unless the active actor holds ``permission``."""
    if not has_permission(actor, permission):
        raise PermissionDenied(
            _("You do not have permission to do this."), extra={"permission": permission}
        )
