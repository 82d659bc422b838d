"""Recording and withdrawing accreditations."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, human
from safepassage.core.errors import Conflict
from safepassage.core.models import User
from safepassage.core.permissions import has_permission, require_permission
from safepassage.core.roles import Perm
from safepassage.core.selectors import user_get
from safepassage.core.validation import FieldErrors, required_reason
from safepassage.workforce import events
from safepassage.workforce.models import Accreditation, AccreditationKind

LONGEST_VALIDITY_YEARS = 3


def _years_after(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes the 28th in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _require_in_scope(actor: Actor, holder_id: int) -> None:
    """A manager acts only on staff at their own locations (user_get answers not found)."""
    if not has_permission(actor, Perm.MANAGE_USERS):
        user_get(actor=actor, user_id=holder_id)


def accreditation_grant(
    *, actor: Actor, holder: User, kind: str, valid_from: date, expires_on: date
) -> Accreditation:
    require_permission(actor, Perm.MANAGE_ACCREDITATIONS)
    granter = human(actor)
    _require_in_scope(actor, holder.pk)
    problems = FieldErrors()
    if kind not in AccreditationKind.values:
        problems.add("kind", _("Choose an accreditation"))
    if expires_on < valid_from:
        problems.add("expires_on", _("The expiry date must be on or after the start date"))
    elif expires_on > _years_after(valid_from, LONGEST_VALIDITY_YEARS):
        problems.add("expires_on", _("An accreditation lasts three years at most"))
    if holder.pk == granter.pk:
        problems.add("holder", _("You cannot record an accreditation for yourself"))
    if not holder.is_active:
        problems.add("holder", _("This account is deactivated"))
    problems.raise_if_any()
    with transaction.atomic():
        accreditation = Accreditation.objects.create(
            holder=holder,
            kind=kind,
            valid_from=valid_from,
            expires_on=expires_on,
            granted_by=granter,
        )
        audit_append(
            actor=actor,
            event=events.ACCREDITATION_GRANTED,
            target=accreditation,
            payload={
                "holder": holder.pk,
                "kind": kind,
                "valid_from": valid_from.isoformat(),
                "expires_on": expires_on.isoformat(),
            },
        )
    return accreditation


def accreditation_withdraw(
    *, actor: Actor, accreditation: Accreditation, reason: str
) -> Accreditation:
    require_permission(actor, Perm.MANAGE_ACCREDITATIONS)
    withdrawer = human(actor)
    _require_in_scope(actor, accreditation.holder_id)
    reason = required_reason(reason, _("Say why the accreditation is withdrawn"), minimum=10)
    with transaction.atomic():
        locked = Accreditation.objects.select_for_update().get(pk=accreditation.pk)
        if locked.withdrawn_at is not None:
            raise Conflict(_("This accreditation has already been withdrawn."))
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = withdrawer
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        audit_append(
            actor=actor,
            event=events.ACCREDITATION_WITHDRAWN,
            target=locked,
            payload={"holder": locked.holder_id, "kind": locked.kind},
        )
    return locked
