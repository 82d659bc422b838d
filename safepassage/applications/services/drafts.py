"""Starting an application and saving its answers, one page at a time, while it is a draft."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.models import Applicant, Application, ApplicationStatus, Channel
from safepassage.applications.questions import BY_SLUG, MAX_CHILDREN, listed_children
from safepassage.applications.selectors import require_can_act_for
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, ApplicantActor
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed


def application_start(
    *, actor: Actor, applicant: Applicant, language: str, channel: str = Channel.PORTAL
) -> Application:
    """A new draft for an applicant who has just proved their contact address."""
    if not (isinstance(actor, ApplicantActor) and actor.applicant_id == applicant.pk):
        raise PermissionDenied()
    with transaction.atomic():
        application = Application.objects.create(
            applicant=applicant, language=language, channel=channel
        )
        audit_append(
            actor=actor,
            event=events.APPLICATION_STARTED,
            target=application,
            payload={"channel": channel},
        )
    return application


def _locked_draft(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status != ApplicationStatus.DRAFT:
        raise Conflict(
            _("This application has already been sent. You cannot change its answers now."),
            code="not_a_draft",
        )
    return locked


def _keep(actor: Actor, locked: Application, slug: str, value: Any, **payload: Any) -> Application:
    """Store one page's value on a locked draft, and say so in the audit log (page names and
    counts only, never the answers)."""
    locked.answers = {**locked.answers, slug: value}
    locked.save(update_fields=["answers", "updated_at"])
    audit_append(
        actor=actor, event=events.ANSWERS_SAVED, target=locked, payload={"page": slug, **payload}
    )
    return locked


def answers_save(
    *, actor: Actor, application: Application, slug: str, answer: dict[str, Any]
) -> Application:
    """Keep one page's cleaned answers. Pages are validated by their form before this."""
    require_can_act_for(actor, application)
    if slug not in BY_SLUG or BY_SLUG[slug].form is None:
        raise ValidationFailed(_("This question does not exist."))
    with transaction.atomic():
        return _keep(actor, _locked_draft(application), slug, answer)


def child_add(*, actor: Actor, application: Application, child: dict[str, Any]) -> Application:
    require_can_act_for(actor, application)
    with transaction.atomic():
        locked = _locked_draft(application)
        children = listed_children(locked.answers)
        if len(children) >= MAX_CHILDREN:
            raise ValidationFailed(
                _("You can add up to %(count)s children. Contact us if more are travelling.")
                % {"count": MAX_CHILDREN}
            )
        children.append({**child, "id": uuid.uuid4().hex[:12]})
        return _keep(actor, locked, "children", {"children": children}, children=len(children))


def child_remove(*, actor: Actor, application: Application, child_id: str) -> Application:
    require_can_act_for(actor, application)
    with transaction.atomic():
        locked = _locked_draft(application)
        kept = [child for child in listed_children(locked.answers) if child.get("id") != child_id]
        return _keep(actor, locked, "children", {"children": kept}, children=len(kept))


def uploads_done(*, actor: Actor, application: Application) -> Application:
    require_can_act_for(actor, application)
    with transaction.atomic():
        return _keep(actor, _locked_draft(application), "uploads", {"done": True})
