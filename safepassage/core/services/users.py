"""Staff accounts: create, change roles and locations, deactivate, reactivate. Never delete."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core import events
from safepassage.core.actors import Actor
from safepassage.core.errors import Conflict, ValidationFailed
from safepassage.core.models import Location, User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm, Role
from safepassage.core.services.accounts import password_link_send
from safepassage.core.validation import FieldErrors, required_reason

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")

# Roles that must be held alone. A partner caseworker works for an outside organisation, and an
# interpreter must never be able to record answers (POLICY.md §3): neither may also hold an
# officer's role on the same account.
EXCLUSIVE_ROLES = frozenset({Role.PARTNER_CASEWORKER, Role.INTERPRETER})


def _check_roles(roles: Iterable[str], errors: FieldErrors) -> list[str]:
    chosen = list(dict.fromkeys(roles))
    valid = set(Role.values)
    unknown = [role for role in chosen if role not in valid]
    if unknown:
        errors.add("roles", _("Choose roles from the list"))
    elif not chosen:
        errors.add("roles", _("Choose at least one role"))
    elif len(chosen) > 1 and EXCLUSIVE_ROLES.intersection(chosen):
        errors.add(
            "roles",
            _("A partner caseworker or interpreter account cannot hold any other role"),
        )
    return chosen


def _check_locations(locations: Iterable[Location], errors: FieldErrors) -> list[Location]:
    chosen = list({location.pk: location for location in locations}.values())
    if not chosen:
        errors.add("locations", _("Choose at least one location"))
    elif any(not location.is_active for location in chosen):
        errors.add("locations", _("Choose only active locations"))
    return chosen


def _check_email(email: str, errors: FieldErrors, *, exclude: User | None = None) -> str:
    email = email.strip()
    if not email:
        errors.add("email", _("Enter an email address"))
        return email
    try:
        validate_email(email)
    except ValidationError:
        errors.add(
            "email", _("Enter an email address in the correct format, like name@example.org")
        )
        return email
    taken = User.objects.filter(email__iexact=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        errors.add("email", _("Another account already uses this email address"))
    return email


def _active_administrators() -> int:
    return User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR).distinct().count()


def user_create(
    *,
    actor: Actor,
    username: str,
    full_name: str,
    email: str,
    roles: Iterable[str],
    locations: Iterable[Location],
    send_invitation: bool = True,
) -> User:
    """Create a staff account. The new user is emailed a link to set their own password; they
    set up two-factor authentication when they first sign in."""
    require_permission(actor, Perm.MANAGE_USERS)
    errors = FieldErrors()
    username = username.strip().lower()
    full_name = " ".join(full_name.split())
    if not USERNAME_PATTERN.match(username):
        errors.add(
            "username",
            _(
                "Username must be 3 to 60 characters: lower-case letters, numbers, dots, "
                "hyphens or underscores"
            ),
        )
    elif User.objects.filter(username__iexact=username).exists():
        errors.add("username", _("This username is already taken"))
    if not full_name:
        errors.add("full_name", _("Enter the person's full name"))
    elif len(full_name) > 150:
        errors.add("full_name", _("Full name must be 150 characters or fewer"))
    email = _check_email(email, errors)
    chosen_roles = _check_roles(roles, errors)
    chosen_locations = _check_locations(locations, errors)
    errors.raise_if_any()

    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email)
        user.set_unusable_password()
        user.full_clean()
        user.save()
        user.groups.set(Group.objects.filter(name__in=chosen_roles))
        user.locations.set(chosen_locations)
        audit_append(
            actor=actor,
            event=events.USER_CREATED,
            target=user,
            payload={
                "username": username,
                "roles": sorted(chosen_roles),
                "locations": sorted(location.code for location in chosen_locations),
            },
        )
        if send_invitation:
            password_link_send(actor=actor, user=user, reason="invitation")
    return user


def user_update(
    *,
    actor: Actor,
    user: User,
    full_name: str,
    email: str,
    roles: Iterable[str],
    locations: Iterable[Location],
) -> dict[str, object]:
    """Change a user's name, email, roles and locations. Returns what changed."""
    require_permission(actor, Perm.MANAGE_USERS)
    errors = FieldErrors()
    full_name = " ".join(full_name.split())
    if not full_name:
        errors.add("full_name", _("Enter the person's full name"))
    email = _check_email(email, errors, exclude=user)
    chosen_roles = _check_roles(roles, errors)
    chosen_locations = _check_locations(locations, errors)
    errors.raise_if_any()

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise Conflict(_("Reactivate this account before changing it"))
        before_roles = set(user.role_codes)
        if (
            Role.ADMINISTRATOR in before_roles
            and Role.ADMINISTRATOR not in chosen_roles
            and _active_administrators() <= 1
        ):
            raise ValidationFailed(
                _(
                    "This is the only active administrator. Give another account the "
                    "administrator role first."
                ),
                field="roles",
            )
        diff: dict[str, object] = {}
        if user.full_name != full_name:
            diff["full_name"] = "changed"
            user.full_name = full_name
        if user.email.lower() != email.lower():
            diff["email"] = "changed"
            user.email = email
        if diff:
            user.full_clean()
            user.save(update_fields=["full_name", "email"])
        if before_roles != set(chosen_roles):
            diff["roles"] = {"from": sorted(before_roles), "to": sorted(chosen_roles)}
            user.groups.set(Group.objects.filter(name__in=chosen_roles))
        before_locations = {location.code for location in user.locations.all()}
        after_locations = {location.code for location in chosen_locations}
        if before_locations != after_locations:
            diff["locations"] = {"from": sorted(before_locations), "to": sorted(after_locations)}
            user.locations.set(chosen_locations)
        if diff:
            audit_append(actor=actor, event=events.USER_UPDATED, target=user, payload=diff)
    return diff


def user_deactivate(*, actor: Actor, user: User, reason: str) -> User:
    """Stop an account from signing in. Its records stay attributed to it."""
    require_permission(actor, Perm.MANAGE_USERS)
    reason = required_reason(reason, _("Give a reason for deactivating this account"))
    if getattr(actor, "pk", None) == user.pk:
        raise ValidationFailed(_("You cannot deactivate your own account"))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise Conflict(_("This account is already deactivated"))
        if user.has_role(Role.ADMINISTRATOR) and _active_administrators() <= 1:
            raise ValidationFailed(_("You cannot deactivate the only active administrator"))
        user.is_active = False
        user.deactivated_at = timezone.now()
        user.save(update_fields=["is_active", "deactivated_at"])
        user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=user.deactivated_at)
        audit_append(
            actor=actor, event=events.USER_DEACTIVATED, target=user, payload={"reason": reason}
        )
    return user


def user_reactivate(*, actor: Actor, user: User, reason: str) -> User:
    require_permission(actor, Perm.MANAGE_USERS)
    reason = required_reason(reason, _("Give a reason for reactivating this account"))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise Conflict(_("This account is already active"))
        if not user.locations.filter(is_active=True).exists():
            raise ValidationFailed(_("Give this account an active location before reactivating it"))
        user.is_active = True
        user.deactivated_at = None
        user.save(update_fields=["is_active", "deactivated_at"])
        audit_append(
            actor=actor, event=events.USER_REACTIVATED, target=user, payload={"reason": reason}
        )
    return user
