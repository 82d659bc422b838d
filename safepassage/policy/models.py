"""Stored evaluations: what the gate was asked, on which facts, by which pack, and what it said.

A consequential action stores its evaluation with it, so its legal basis can always be shown.
An override of a ``needs_approval`` verdict is a separate record with the senior's reason, and
is always sampled for quality assurance.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ALLOWED = "allowed", _("Allowed")
    NEEDS_APPROVAL = "needs_approval", _("Needs approval")
    BLOCKED = "blocked", _("Blocked")


class PolicyEvaluation(models.Model):
    action = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=80)
    subject_id = models.CharField(max_length=64)
    on = models.DateField()
    pack = models.CharField(max_length=40, help_text="name@version of the rule pack")
    facts = models.JSONField()
    verdict = models.JSONField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_by_label = models.CharField(max_length=80)
    evaluated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-evaluated_at"]
        default_permissions = ()
        permissions = [
            ("check_action", "Can ask the policy gate about an action"),
            ("override_policy", "Can approve an action the policy gate says needs approval"),
        ]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="policy_eval_subject"),
            models.Index(fields=["action", "outcome"], name="policy_eval_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.subject_type}:{self.subject_id}: {self.outcome}"


class PolicyOverride(models.Model):
    """A senior's recorded approval of an action the gate said needs approval."""

    evaluation = models.OneToOneField(
        PolicyEvaluation, on_delete=models.PROTECT, related_name="override"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approver_role = models.CharField(max_length=40)
    reason = models.TextField()
    approved_at = models.DateTimeField(default=timezone.now)
    # Every override is reviewed (POLICY.md §1); the quality app reads these.
    qa_sample_required = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["-approved_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"override of evaluation {self.evaluation_id}"
