"""Staff work on sent applications. (Checks, decisions and letters will join this module.)"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.models import Application
from safepassage.applications.selectors import case_get
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor
from safepassage.core.errors import ValidationFailed
from safepassage.core.models import User
from safepassage.core.permissions import has_permission, require_permission
from safepassage.core.roles import Perm


def application_assign(
    *, actor: Actor, application: Application, officer: User | None
) -> Application:
    """Give the application to a decision maker (or to nobody). Whoever takes it must be able to
    see applications."""
    require_permission(actor, Perm.VIEW_APPLICATION)
    if officer is not None and not (
        officer.is_active and has_permission(officer, Perm.VIEW_APPLICATION)
    ):
        raise ValidationFailed(_("This person cannot work on visa applications."), field="officer")
    with transaction.atomic():
        locked = case_get(actor, application.public_id)
        locked = Application.objects.select_for_update().get(pk=locked.pk)
        previous = locked.assigned_to_id
        locked.assigned_to = officer
        locked.save(update_fields=["assigned_to", "updated_at"])
        audit_append(
            actor=actor,
            event=events.APPLICATION_ASSIGNED,
            target=locked,
            payload={"from": previous, "to": officer.pk if officer else None},
        )
    return locked
