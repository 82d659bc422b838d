"""Decisions on applications, and the letters that tell the applicant.

A decision is proposed by a decision maker through the policy gate. If the gate says it needs a
senior's approval, or the scheme asks for a second pair of eyes on that kind of decision, it waits
for them; otherwise it is issued at once. Only an issued decision has a letter, a verification
code and (for a grant) a validity. At most one decision per application is live (waiting or
issued): a database constraint, so two officers deciding at once cannot both succeed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models.portal import Application


class DecisionOutcome(models.TextChoices):
    GRANT = "grant", _("Grant")
    REFUSE = "refuse", _("Refuse")


class DecisionState(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for a senior caseworker's approval")
    AWAITING_SECOND_LOOK = "awaiting_second_look", _("Waiting for a second decision maker")
    ISSUED = "issued", _("Issued")
    RETURNED = "returned", _("Sent back to the decision maker")


LIVE_DECISION_STATES = (
    DecisionState.AWAITING_APPROVAL,
    DecisionState.AWAITING_SECOND_LOOK,
    DecisionState.ISSUED,
)


class Decision(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=8, choices=DecisionOutcome.choices)
    state = models.CharField(max_length=24, choices=DecisionState.choices)
    # Codes from the scheme's refusal reasons (applications.refusal_reasons); empty for a grant.
    reasons = models.JSONField(default=list, blank=True)
    explanation = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    evaluation = models.ForeignKey(
        "policy.PolicyEvaluation", on_delete=models.PROTECT, related_name="+"
    )
    override = models.ForeignKey(
        "policy.PolicyOverride", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The second pair of eyes: who agreed (or sent it back), when, and what they said.
    second_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_at = models.DateTimeField(null=True, blank=True)
    second_note = models.TextField(blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    verification_code = models.CharField(max_length=20, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]
        default_permissions = ()
        permissions = [
            ("decide_application", "Can run checks on and decide visa applications"),
            ("record_biometrics", "Can record attendance at a biometrics appointment"),
            ("manage_visa_scheme", "Can manage the watch list and visa application centres"),
            ("find_grant", "Can find a safe-passage grant by its reference"),
            ("view_visa_figures", "Can see the visa scheme's figures"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=LIVE_DECISION_STATES),
                name="one_live_decision_per_application",
            ),
            models.CheckConstraint(
                condition=~Q(state="issued") | Q(verification_code__isnull=False),
                name="issued_decision_has_code",
            ),
        ]
        indexes = [models.Index(fields=["state", "issued_at"], name="decision_issued")]

    def __str__(self) -> str:
        return f"decision {self.pk}: {self.outcome} ({self.state})"

    @property
    def is_issued(self) -> bool:
        return self.state == DecisionState.ISSUED


class DecisionLetter(models.Model):
    """The letter PDF, one per language (English, and the applicant's own when it differs).
    Stored privately (applications.storage) and served only through permission-checked views."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters")
    language = models.CharField(max_length=10)
    storage_name = models.CharField(max_length=200, unique=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    rendered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decision", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "language"], name="one_letter_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"letter {self.pk} ({self.language})"
