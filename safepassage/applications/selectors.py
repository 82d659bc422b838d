"""Every read of applications, scoped to who is asking.

An applicant sees only the applications made with their contact address. A partner caseworker
sees only the applications their organisation helped with, and only while the applicant's
consent stands. Out of scope and missing look the same (NotFound), so a tampered URL reveals
nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from safepassage.applications.models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationCheck,
    ApplicationDocument,
    Decision,
    DecisionState,
    PartnerConsent,
    PartnerOrganisation,
)
from safepassage.applications.queue import is_queue_key
from safepassage.core.actors import Actor, ApplicantActor, SystemActor, staff_user
from safepassage.core.errors import NotFound
from safepassage.core.models import User
from safepassage.core.permissions import has_permission, require_permission
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


# --- The decision makers' queue ----------------------------------------------------------------

QUEUE_PAGE = 25


@dataclass(frozen=True)
class QueueFilters:
    status: str = "open"
    nationality: str = ""
    current_country: str = ""
    age: str = ""  # "child" or "adult"
    vulnerability: str = ""  # "yes" or "no"
    waiting_days: int | None = None
    assigned: str = ""  # "me", "nobody", or a user id


@dataclass(frozen=True)
class QueuePage:
    rows: list[Application]
    next_after: str  # the keyset cursor of the next page, or ""


def queue_page(
    actor: Actor, filters: QueueFilters, *, after: str = "", size: int = QUEUE_PAGE
) -> QueuePage:
    """One page of main applications (children's are shown with their parent's) in queue
    order (applications.queue), after the cursor ``after``."""
    require_permission(actor, Perm.VIEW_APPLICATION)
    rows = visible_applications(actor).filter(lead__isnull=True).exclude(status="draft")
    if filters.status == "open":
        rows = rows.filter(status__in=UNDECIDED_STATUSES)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.nationality:
        rows = rows.filter(nationality=filters.nationality)
    if filters.current_country:
        rows = rows.filter(current_country=filters.current_country)
    if filters.age in ("child", "adult"):
        rows = rows.filter(is_child=filters.age == "child")
    if filters.vulnerability in ("yes", "no"):
        rows = rows.filter(declared_vulnerability=filters.vulnerability == "yes")
    if filters.waiting_days is not None:
        rows = rows.filter(submitted_at__lte=timezone.now() - timedelta(days=filters.waiting_days))
    if filters.assigned == "me":
        rows = rows.filter(assigned_to=staff_user(actor))
    elif filters.assigned == "nobody":
        rows = rows.filter(assigned_to__isnull=True)
    elif filters.assigned.isdigit():
        rows = rows.filter(assigned_to_id=int(filters.assigned))
    if after and is_queue_key(after):
        rows = rows.filter(queue_key__gt=after)
    page = list(
        rows.select_related("assigned_to")
        .only(
            "public_id",
            "reference",
            "status",
            "answers",
            "nationality",
            "current_country",
            "is_child",
            "declared_vulnerability",
            "family_size",
            "priority",
            "queue_key",
            "submitted_at",
            "assigned_to__full_name",
            "assigned_to__username",
        )
        .order_by("queue_key")[: size + 1]
    )
    more = len(page) > size
    page = page[:size]
    return QueuePage(rows=page, next_after=page[-1].queue_key if more and page else "")


def case_get(actor: Actor, public_id: uuid.UUID | str) -> Application:
    """A submitted application as a decision maker opens it."""
    require_permission(actor, Perm.VIEW_APPLICATION)
    try:
        return (
            visible_applications(actor)
            .exclude(status="draft")
            .select_related("applicant", "helped_by", "assigned_to", "lead")
            .get(public_id=public_id)
        )
    except (Application.DoesNotExist, ValueError) as error:
        raise NotFound() from error


def decisions_waiting(actor: User) -> QuerySet[Decision]:
    """Decisions waiting for ``actor`` as someone other than their proposer: second looks for
    any decision maker, approvals too for a senior caseworker. The first 200, in queue order."""
    states = [DecisionState.AWAITING_SECOND_LOOK]
    if has_permission(actor, Perm.OVERRIDE_POLICY):
        states.append(DecisionState.AWAITING_APPROVAL)
    return (
        Decision.objects.filter(state__in=states, application__in=visible_applications(actor))
        .exclude(proposed_by=actor)
        .select_related("application", "proposed_by")
        .order_by("application__queue_key")[:200]
    )


# --- The checks, as the case view's panels read them -------------------------------------------

_CHECK_RUNS = Prefetch(
    "checks",
    queryset=ApplicationCheck.objects.select_related(
        "started_by", "resolved_by", "person", "person__merged_into"
    ).order_by("-started_at", "-pk"),
)


def check_runs(application: Application, kind: str | None = None) -> list[ApplicationCheck]:
    """Every run of the application's checks (of one kind, if given), newest first. One query
    for all the panels of a case view: the runs are kept on the application object."""
    if "checks" not in getattr(application, "_prefetched_objects_cache", {}):
        prefetch_related_objects([application], _CHECK_RUNS)
    return [run for run in application.checks.all() if kind is None or run.kind == kind]
