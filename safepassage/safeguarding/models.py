"""Vulnerability indicators: what was seen or said that may make a person vulnerable.

Screening answers raise them automatically; the safeguarding issue adds indicators recorded by
officers, their review by a safeguarding lead, and the referrals they lead to.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    # POLICY.md §2; the codes are the policy gate's vocabulary (policy.facts.VULNERABILITY_CODES).
    CHILD = "child", _("Child")
    UNACCOMPANIED_CHILD = "unaccompanied_child", _("Unaccompanied or separated child")
    AGE_DISPUTED = "age_disputed", _("Age disputed")
    TRAFFICKING = "trafficking", _("Trafficking or modern slavery")
    TORTURE = "torture", _("Torture")
    SGBV = "sgbv", _("Sexual or gender-based violence")
    PHYSICAL_ILLNESS = "physical_illness", _("Serious physical illness")
    DISABILITY = "disability", _("Serious physical disability")
    MENTAL_HEALTH = "mental_health", _("Mental health condition")
    PREGNANCY = "pregnancy", _("Pregnancy")
    OLDER_PERSON = "older_person", _("Older person (70 or over)")
    LGBTQI = "lgbtqi", _("Transgender or intersex, or sexual orientation")
    SINGLE_PARENT = "single_parent", _("Single parent")
    FAMILY_UNITY = "family_unity", _("Family unity at risk")


class EvidenceLevel(models.IntegerChoices):
    # Adults at Risk in Immigration Detention (guidance v10.0, May 2024).
    SELF_DECLARED = 1, _("Level 1: self-declared")
    PROFESSIONAL_EVIDENCE = 2, _("Level 2: professional or official evidence of risk")
    HARM_LIKELY = 3, _("Level 3: professional evidence that detention is likely to cause harm")


class IndicatorSource(models.TextChoices):
    SCREENING_ANSWER = "screening_answer", _("Screening answer")
    OBSERVATION = "observation", _("Officer's observation")
    DOCUMENT = "document", _("Document")
    PARTNER_REPORT = "partner_report", _("Partner's report")


class VulnerabilityIndicator(models.Model):
    """One indicator on one asylum case. Never deleted; the safeguarding issue adds review."""

    case = models.ForeignKey(
        "cases.AsylumCase", on_delete=models.PROTECT, related_name="vulnerability_indicators"
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    evidence_level = models.PositiveSmallIntegerField(
        _("evidence level"), choices=EvidenceLevel.choices, default=EvidenceLevel.SELF_DECLARED
    )
    source = models.CharField(_("source"), max_length=32, choices=IndicatorSource.choices)
    # For a screening answer: "interview:<id>:<question id>" — ids only, never the answer.
    source_reference = models.CharField(max_length=120, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        default_permissions = ()
        indexes = [models.Index(fields=["case", "category"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "category", "source", "source_reference"],
                name="indicator_once_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} on case {self.case_id}"
