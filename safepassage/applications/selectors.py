"""Every read of applications, scoped to who is asking.

An applicant sees only the applications made with their contact address. A partner caseworker
sees only the applications their organisation helped with, and only while the applicant's
consent stands. Out of scope and missing look the same (NotFound), so a tampered URL reveals
nothing.
"""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef, QuerySet

from safepassage.applications.models import (
    Application,
    ApplicationDocument,
    PartnerConsent,
    PartnerOrganisation,
)
from safepassage.core.actors import Actor, ApplicantActor, SystemActor
from safepassage.core.errors import NotFound
from safepassage.core.models import User
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm


def partner_organisation(user: User) -> PartnerOrganisation | None:
    membership = getattr(user, "partner_membership", None)
    if membership is None or not membership.organisation.is_active:
        return None
    return membership.organisation


def _standing_consent(organisation: PartnerOrganisation) -> Exists:
    return Exists(
        PartnerConsent.objects.filter(
            application=OuterRef("pk"), organisation=organisation, revoked_at__isnull=True
        )
    )


def visible_applications(actor: Actor) -> QuerySet[Application]:
    if isinstance(actor, ApplicantActor):
        return Application.objects.filter(applicant_id=actor.applicant_id)
    if isinstance(actor, SystemActor):
        return Application.objects.all()
    if has_permission(actor, Perm.VIEW_APPLICATION):
        return Application.objects.exclude(status="draft")
    if has_permission(actor, Perm.HELP_APPLICANTS):
        organisation = partner_organisation(actor)
        if organisation is None:
            return Application.objects.none()
        return Application.objects.filter(_standing_consent(organisation))
    return Application.objects.none()


def can_act_for(actor: Actor, application: Application) -> bool:
    """May this actor change the application as the applicant would (answers, uploads,
    submission, withdrawal)? The applicant, or a partner with standing consent."""
    if isinstance(actor, ApplicantActor):
        return application.applicant_id == actor.applicant_id
    if isinstance(actor, SystemActor):
        return True
    if not has_permission(actor, Perm.HELP_APPLICANTS):
        return False
    organisation = partner_organisation(actor)
    return (
        organisation is not None
        and application.consents.filter(organisation=organisation, revoked_at__isnull=True).exists()
    )


def application_get(actor: Actor, public_id: uuid.UUID | str) -> Application:
    try:
        return (
            visible_applications(actor)
            .select_related("applicant", "helped_by")
            .get(public_id=public_id)
        )
    except (Application.DoesNotExist, ValueError) as error:
        raise NotFound() from error


def applicant_applications(actor: ApplicantActor) -> QuerySet[Application]:
    return (
        visible_applications(actor)
        .filter(lead__isnull=True)
        .prefetch_related("family_members")
        .order_by("-created_at")
    )


def live_documents(application: Application) -> QuerySet[ApplicationDocument]:
    return application.documents.filter(removed_at__isnull=True)


def document_get(actor: Actor, application: Application, document_id: int) -> ApplicationDocument:
    try:
        return application.documents.get(pk=document_id)
    except ApplicationDocument.DoesNotExist as error:
        raise NotFound() from error


def standing_consents(application: Application) -> QuerySet[PartnerConsent]:
    return application.consents.filter(revoked_at__isnull=True).select_related("organisation")


def require_can_act_for(actor: Actor, application: Application) -> None:
    """Services start with this; refusing looks like absence, as in application_get."""
    if not can_act_for(actor, application):
        raise NotFound()
