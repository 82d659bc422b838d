"""Arrivals and asylum cases.

An ``Arrival`` is one registration event at a location: when and how a party arrived. Each
claimant in the party gets an ``AsylumCase``, whose status is a state machine (django-fsm-2,
``cases/lifecycle.py``): the field is protected, so nothing but a transition changes it.

    registered ─▶ screening_scheduled ─▶ screening_in_progress ─▶ screened ─▶ routed ─▶ decided
        │                ▲   │                      │                  │          │
        │                └───┼──── adjourned ◀──────┘                  │          │
        └────────────────────┴──────────────▶ closed ◀─────────────────┴──────────┘
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from safepassage.core.roles import Perm


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SCREENING_SCHEDULED = "screening_scheduled", _("Screening scheduled")
    SCREENING_IN_PROGRESS = "screening_in_progress", _("Screening in progress")
    SCREENED = "screened", _("Screened")
    ROUTED = "routed", _("Routed")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(set(CaseStatus.values) - {CaseStatus.DECIDED, CaseStatus.CLOSED})


class ArrivalRoute(models.TextChoices):
    SMALL_BOAT = "small_boat", _("Small boat")
    SAFE_PASSAGE = "safe_passage", _("Safe-passage visa")
    OTHER = "other", _("Another route")


class ChildStatus(models.TextChoices):
    ADULT = "adult", _("Adult")
    ACCOMPANIED_CHILD = "accompanied_child", _("Child, with a parent or guardian")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Child, unaccompanied or separated")


class Relationship(models.TextChoices):
    LEAD = "lead", _("Main claimant of the family")
    SPOUSE_OR_PARTNER = "spouse_or_partner", _("Spouse or partner")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    NOT_FAMILY = "not_family", _("Travelling together, not family")


class Route(models.TextChoices):
    SUBSTANTIVE = "substantive", _("Substantive consideration")
    INADMISSIBILITY = "inadmissibility", _("Inadmissibility consideration")


class Stage(models.TextChoices):
    """The consequential steps that have separate owners (POLICY.md §1, the first failure)."""

    REGISTRATION = "registration", _("Registration")
    SCREENING = "screening", _("Screening interview")
    ROUTING = "routing", _("Routing")


class Arrival(models.Model):
    """One registration: a party that arrived together, at one location."""

    location = models.ForeignKey("core.Location", on_delete=models.PROTECT, related_name="+")
    arrived_at = models.DateTimeField(_("arrived at"))
    route = models.CharField(_("how they arrived"), max_length=20, choices=ArrivalRoute.choices)
    route_details = models.CharField(_("details of the route"), max_length=500, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    # The form's one-time key: a resubmitted form finds the arrival it already made.
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-registered_at"]
        default_permissions = ()
        permissions = [("register_arrival", "Can register arrivals and open asylum cases")]

    def __str__(self) -> str:
        return f"arrival {self.pk}"


class AsylumCase(FSMModelMixin, models.Model):
    reference = models.CharField(_("case reference"), max_length=20, unique=True)
    arrival = models.ForeignKey(Arrival, on_delete=models.PROTECT, related_name="cases")
    location = models.ForeignKey("core.Location", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    status = FSMField(
        _("status"),
        max_length=24,
        choices=CaseStatus.choices,
        default=CaseStatus.REGISTERED,
        protected=True,
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    claims_minor = models.BooleanField(_("says they are under 18"), default=False)
    child_status = models.CharField(_("adult or child"), max_length=24, choices=ChildStatus.choices)
    relationship = models.CharField(_("relationship"), max_length=24, choices=Relationship.choices)
    # The family's main claimant; empty for the main claimant and for someone on their own.
    family_lead = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="family_members"
    )
    # The safe-passage visa this claimant arrived on, found by its reference.
    grant_application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    documents_held = models.JSONField(default=list, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(default=timezone.now)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, blank=True)
    # The form's one-time key: a resubmitted form finds the case it already opened.
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-registered_at"]
        default_permissions = ()
        permissions = [
            ("view_case", "Can see asylum cases at their locations"),
            ("allocate_work", "Can allocate screening interviews and routing to officers"),
            ("waive_stage_separation", "Can let one officer do consecutive steps of a case"),
            ("route_case", "Can route a screened case"),
            ("close_case", "Can close an asylum case"),
        ]
        indexes = [
            models.Index(fields=["location", "status", "registered_at"]),
            models.Index(fields=["person"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(route="") | Q(status__in=["routed", "decided", "closed"]),
                name="case_route_only_once_routed",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_child(self) -> bool:
        return self.claims_minor or self.child_status != ChildStatus.ADULT

    # The transitions. Each names the permission it needs and, where it is consequential, the
    # policy action the gate must allow (``custom["policy_action"]``). They only change the
    # status: cases/lifecycle.py locks the row, checks, asks the gate and records.

    @transition(
        field=status,
        source=CaseStatus.REGISTERED,
        target=CaseStatus.SCREENING_SCHEDULED,
        permission=Perm.ALLOCATE_WORK,
        custom={"label": _("Schedule the screening interview")},
    )
    def schedule_screening(self) -> None:
        pass

    @transition(
        field=status,
        source=CaseStatus.SCREENING_SCHEDULED,
        target=CaseStatus.SCREENING_IN_PROGRESS,
        permission=Perm.CONDUCT_INTERVIEW,
        custom={
            "label": _("Start the screening interview"),
            "policy_action": "start_screening_interview",
        },
    )
    def start_screening(self) -> None:
        pass

    @transition(
        field=status,
        source=CaseStatus.SCREENING_IN_PROGRESS,
        target=CaseStatus.SCREENING_SCHEDULED,
        permission=Perm.CONDUCT_INTERVIEW,
        custom={"label": _("Adjourn the screening interview")},
    )
    def adjourn_screening(self) -> None:
        pass

    @transition(
        field=status,
        source=CaseStatus.SCREENING_IN_PROGRESS,
        target=CaseStatus.SCREENED,
        permission=Perm.CONDUCT_INTERVIEW,
        custom={"label": _("Complete the screening"), "policy_action": "complete_screening"},
    )
    def complete_screening(self) -> None:
        pass

    @transition(
        field=status,
        source=CaseStatus.SCREENED,
        target=CaseStatus.ROUTED,
        permission=Perm.ROUTE_CASE,
        custom={
            "label": _("Route the case"),
            # Routing to inadmissibility is consequential; substantive consideration is not.
            "policy_action_by_route": {Route.INADMISSIBILITY: "route_inadmissibility"},
        },
    )
    def route_case(self) -> None:
        pass

    @transition(
        field=status,
        source=CaseStatus.ROUTED,
        target=CaseStatus.DECIDED,
        permission=Perm.ROUTE_CASE,
        custom={
            "label": _("Record the decision"),
            "policy_action_by_route": {Route.INADMISSIBILITY: "decide_inadmissible"},
        },
    )
    def decide(self) -> None:
        pass

    @transition(
        field=status,
        source=list(OPEN_STATUSES - {CaseStatus.SCREENING_IN_PROGRESS}),
        target=CaseStatus.CLOSED,
        permission=Perm.CLOSE_CASE,
        custom={"label": _("Close the case"), "policy_action": "close_case"},
    )
    def close(self) -> None:
        pass


class CaseTransition(models.Model):
    """One change of a case's status: when, by whom, and the gate's evaluation if it asked."""

    case = models.ForeignKey(AsylumCase, on_delete=models.PROTECT, related_name="transitions")
    name = models.CharField(max_length=40)
    from_status = models.CharField(max_length=24, choices=CaseStatus.choices)
    to_status = models.CharField(max_length=24, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now)
    evaluation = models.ForeignKey(
        "policy.PolicyEvaluation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        default_permissions = ()
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class Allocation(models.Model):
    """Who owns one stage of one case. Reallocating ends the old row; it is never edited."""

    case = models.ForeignKey(AsylumCase, on_delete=models.PROTECT, related_name="allocations")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_allocations"
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["allocated_at", "pk"]
        default_permissions = ()
        indexes = [models.Index(fields=["officer", "stage", "ended_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "stage"],
                condition=Q(ended_at__isnull=True),
                name="one_current_allocation_per_stage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} of case {self.case_id} to user {self.officer_id}"


class StageSeparationWaiver(models.Model):
    """A location manager's recorded permission for one officer to do consecutive steps of the
    same case at a location (a small site with one officer on duty), until a date."""

    location = models.ForeignKey("core.Location", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    valid_until = models.DateField()
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-granted_at"]
        default_permissions = ()
        indexes = [models.Index(fields=["location", "valid_until"])]

    def __str__(self) -> str:
        return f"stage separation waived at location {self.location_id}"
