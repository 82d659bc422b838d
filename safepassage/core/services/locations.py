"""Locations: create, change, deactivate, reactivate. Never delete."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core import events
from safepassage.core.actors import Actor
from safepassage.core.errors import Conflict, ValidationFailed
from safepassage.core.models import Location, LocationKind, User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.updates import model_update
from safepassage.core.validation import FieldErrors, required_reason

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def _check_details(
    *, name: str, kind: str, region: str, errors: FieldErrors, exclude: Location | None = None
) -> tuple[str, str]:
    name = " ".join(name.split())
    region = " ".join(region.split())
    if not name:
        errors.add("name", _("Enter the location's name"))
    elif len(name) > 120:
        errors.add("name", _("Name must be 120 characters or fewer"))
    else:
        clash = Location.objects.filter(name__iexact=name)
        if exclude is not None:
            clash = clash.exclude(pk=exclude.pk)
        if clash.exists():
            errors.add("name", _("Another location already has this name"))
    if kind not in LocationKind.values:
        errors.add("kind", _("Choose the type of location"))
    if len(region) > 80:
        errors.add("region", _("Region must be 80 characters or fewer"))
    return name, region


def location_create(*, actor: Actor, code: str, name: str, kind: str, region: str = "") -> Location:
    require_permission(actor, Perm.MANAGE_LOCATIONS)
    errors = FieldErrors()
    code = code.strip().lower()
    if not CODE_PATTERN.match(code):
        errors.add(
            "code",
            _("Code must be 2 to 40 characters: lower-case letters, numbers and hyphens"),
        )
    elif Location.objects.filter(code=code).exists():
        errors.add("code", _("Another location already has this code"))
    name, region = _check_details(name=name, kind=kind, region=region, errors=errors)
    errors.raise_if_any()
    with transaction.atomic():
        location = Location(code=code, name=name, kind=kind, region=region)
        location.full_clean()
        location.save()
        audit_append(
            actor=actor,
            event=events.LOCATION_CREATED,
            target=location,
            payload={"code": code, "name": name, "kind": kind, "region": region},
        )
    return location


def location_update(
    *, actor: Actor, location: Location, name: str, kind: str, region: str = ""
) -> dict[str, dict[str, object]]:
    """Change a location's name, type or region. The code never changes: other systems use it."""
    require_permission(actor, Perm.MANAGE_LOCATIONS)
    errors = FieldErrors()
    name, region = _check_details(
        name=name, kind=kind, region=region, errors=errors, exclude=location
    )
    errors.raise_if_any()
    with transaction.atomic():
        location = Location.objects.select_for_update().get(pk=location.pk)
        diff = model_update(
            instance=location,
            data={"name": name, "kind": kind, "region": region},
            fields=["name", "kind", "region"],
        )
        if diff:
            audit_append(actor=actor, event=events.LOCATION_UPDATED, target=location, payload=diff)
    return diff


def location_deactivate(*, actor: Actor, location: Location, reason: str) -> Location:
    """A closed location keeps its history. Refused while it is someone's only location."""
    require_permission(actor, Perm.MANAGE_LOCATIONS)
    reason = required_reason(reason, _("Give a reason for deactivating this location"))
    with transaction.atomic():
        location = Location.objects.select_for_update().get(pk=location.pk)
        if not location.is_active:
            raise Conflict(_("This location is already deactivated"))
        stranded = [
            user
            for user in User.objects.filter(is_active=True, locations=location).prefetch_related(
                "locations"
            )
            if not any(
                other.is_active and other.pk != location.pk for other in user.locations.all()
            )
        ]
        if stranded:
            raise ValidationFailed(
                _(
                    "%(count)d active staff work only at this location. Give them another "
                    "location, or deactivate their accounts, first."
                )
                % {"count": len(stranded)}
            )
        location.is_active = False
        location.deactivated_at = timezone.now()
        location.save(update_fields=["is_active", "deactivated_at", "updated_at"])
        audit_append(
            actor=actor,
            event=events.LOCATION_DEACTIVATED,
            target=location,
            payload={"reason": reason},
        )
    return location


def location_reactivate(*, actor: Actor, location: Location, reason: str) -> Location:
    require_permission(actor, Perm.MANAGE_LOCATIONS)
    reason = required_reason(reason, _("Give a reason for reactivating this location"))
    with transaction.atomic():
        location = Location.objects.select_for_update().get(pk=location.pk)
        if location.is_active:
            raise Conflict(_("This location is already active"))
        location.is_active = True
        location.deactivated_at = None
        location.save(update_fields=["is_active", "deactivated_at", "updated_at"])
        audit_append(
            actor=actor,
            event=events.LOCATION_REACTIVATED,
            target=location,
            payload={"reason": reason},
        )
    return location
