"""Accreditations: what an officer is trained and allowed to do, and until when.

The workforce issue adds training records, working patterns and allocation; the screening
interview already needs to know who holds which accreditation on a given day.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccreditationKind(models.TextChoices):
    # The codes are the policy gate's vocabulary (policy.facts.ACCREDITATIONS).
    SCREENING = "screening", _("Screening interviews")
    CHILD_INTERVIEWS = "child_interviews", _("Interviews with children")
    SAFEGUARDING_FIRST_RESPONDER = (
        "safeguarding_first_responder",
        _("Safeguarding first responder"),
    )
    QA_REVIEWER = "qa_reviewer", _("Quality assurance review")
    DECISION_MAKING = "decision_making", _("Decision making")


class Accreditation(models.Model):
    """One accreditation held by one member of staff, valid from one day to another (both
    inclusive). Withdrawn early, it is kept with who withdrew it and why."""

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accreditations"
    )
    kind = models.CharField(_("accreditation"), max_length=40, choices=AccreditationKind.choices)
    valid_from = models.DateField(_("valid from"))
    expires_on = models.DateField(_("expires on"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "-expires_on"]
        default_permissions = ()
        permissions = [("manage_accreditations", "Can record and withdraw accreditations")]
        indexes = [models.Index(fields=["holder", "kind", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("valid_from")),
                name="accreditation_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for user {self.holder_id}"

    def is_valid_on(self, day: date) -> bool:
        return self.withdrawn_at is None and self.valid_from <= day <= self.expires_on
