"""The national screening questionnaire, the interpreters' register, and interviews.

A questionnaire version is data (``screening/questionnaires/``, loaded and published by an
administrator). A published version never changes, and exactly one is current nationally: a
location cannot have its own. An interview records the version it used, its answers (each one
answered, asked without an answer, declined, or not asked with a reason, never a silent blank),
the applicant's confirmations with their times, the interpreter's declaration, the read-back
and the amendments made at it, with the original kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CURRENT = "current", _("Current")
    RETIRED = "retired", _("Retired")


class QuestionnaireVersion(models.Model):
    # Numbered when published; a draft has no number.
    number = models.PositiveIntegerField(null=True, blank=True, unique=True)
    status = models.CharField(max_length=12, choices=VersionStatus.choices)
    definition = models.JSONField()
    # SHA-256 of the canonical definition when it was published: a changed row is detectable.
    digest = models.CharField(max_length=64, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()
        permissions = [
            ("manage_questionnaire", "Can draft and publish versions of the questionnaire")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="current"),
                name="one_current_questionnaire",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, published_at__isnull=False),
                name="published_questionnaire_numbered",
            ),
        ]

    def __str__(self) -> str:
        return f"questionnaire v{self.number}" if self.number else f"draft {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A published version is immutable: only its status may move on (current → retired).
        if self.pk is not None:
            stored = QuestionnaireVersion.objects.filter(pk=self.pk).values(
                "status", "definition", "number"
            )[:1]
            for before in stored:
                if before["status"] != VersionStatus.DRAFT and (
                    before["definition"] != self.definition or before["number"] != self.number
                ):
                    raise ValueError("A published questionnaire version cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status != VersionStatus.DRAFT


class Interpreter(models.Model):
    """An interpreter on the register. Separate from staff accounts: an interpreter may have an
    account, only to sign their declaration."""

    full_name = models.CharField(_("full name"), max_length=150)
    # [{"language": "ar", "dialects": ["Sudanese", "Levantine"]}, ...]
    languages = models.JSONField(_("languages and dialects"), default=list)
    accreditation_reference = models.CharField(_("accreditation reference"), max_length=60)
    accreditation_expires_on = models.DateField(_("accreditation expires on"))
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interpreter_record",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["full_name"]
        default_permissions = ()
        permissions = [
            ("manage_interpreters", "Can add interpreters to the register and change them"),
            ("sign_interpreter_declaration", "Can sign the interpreter's declaration"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def language_codes(self) -> list[str]:
        return [entry["language"] for entry in self.languages]


class InterviewMode(models.TextChoices):
    IN_ROOM = "in_room", _("In the room")
    VIDEO = "video", _("Video call")
    TELEPHONE = "telephone", _("Telephone")


class InterviewStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    ADJOURNED = "adjourned", _("Adjourned")
    COMPLETED = "completed", _("Completed")


class Variant(models.TextChoices):
    FULL = "full", _("Full screening")
    WELFARE = "welfare", _("Welfare interview (child)")


class Interview(models.Model):
    case = models.ForeignKey(
        "cases.AsylumCase", on_delete=models.PROTECT, related_name="interviews"
    )
    questionnaire = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="interviews"
    )
    status = models.CharField(
        max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.IN_PROGRESS
    )
    variant = models.CharField(max_length=12, choices=Variant.choices, default=Variant.FULL)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=12, choices=InterviewMode.choices)
    room = models.CharField(_("room or call details"), max_length=120, blank=True)
    interpreter = models.ForeignKey(
        Interpreter, null=True, blank=True, on_delete=models.PROTECT, related_name="interviews"
    )
    responsible_adult = models.CharField(_("responsible adult"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=12)
    dialect = models.CharField(_("dialect"), max_length=80, blank=True)
    language_confirmed_at = models.DateTimeField(null=True, blank=True)
    understanding_confirmed_at = models.DateTimeField(null=True, blank=True)
    read_back_language = models.CharField(max_length=12, blank=True)
    read_back_method = models.CharField(max_length=12, blank=True)  # "read" or "shown"
    read_back_started_at = models.DateTimeField(null=True, blank=True)
    read_back_confirmed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    adjournment_reason = models.TextField(blank=True)
    start_evaluation = models.ForeignKey(
        "policy.PolicyEvaluation", null=True, on_delete=models.PROTECT, related_name="+"
    )
    completion_evaluation = models.ForeignKey(
        "policy.PolicyEvaluation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_file = models.CharField(max_length=200, blank=True)
    record_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at"]
        default_permissions = ()
        permissions = [("conduct_interview", "Can conduct screening interviews")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="in_progress"),
                name="one_interview_in_progress_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"interview {self.pk}"

    @property
    def uses_interpreter(self) -> bool:
        return self.interpreter_id is not None


class AnswerState(models.TextChoices):
    ANSWERED = "answered", _("Answered")
    NO_ANSWER = "no_answer", _("Asked, no answer")
    DECLINED = "declined", _("Declined to answer")
    NOT_ASKED = "not_asked", _("Not asked")


class Answer(models.Model):
    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="answers")
    question_id = models.CharField(max_length=80)
    state = models.CharField(max_length=12, choices=AnswerState.choices)
    value = models.JSONField(null=True, blank=True)
    not_asked_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "question_id"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id} in interview {self.interview_id}"


class Amendment(models.Model):
    """A correction made when the record was read back: the original is kept beside it."""

    interview = models.ForeignKey(Interview, on_delete=models.PROTECT, related_name="amendments")
    question_id = models.CharField(max_length=80)
    # Empty when the question had no answer at all before the read-back.
    original_state = models.CharField(max_length=12, choices=AnswerState.choices, blank=True)
    original_value = models.JSONField(null=True, blank=True)
    new_state = models.CharField(max_length=12, choices=AnswerState.choices)
    new_value = models.JSONField(null=True, blank=True)
    reason = models.TextField()
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    amended_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["amended_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"amendment of {self.question_id} in interview {self.interview_id}"


class DeclarationMethod(models.TextChoices):
    SIGNED = "signed", _("Signed by the interpreter with their own account")
    ORAL = "oral", _("Made aloud by the interpreter and recorded by the officer")


class InterpreterDeclaration(models.Model):
    interview = models.OneToOneField(
        Interview, on_delete=models.PROTECT, related_name="interpreter_declaration"
    )
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=8, choices=DeclarationMethod.choices)
    wording = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"declaration for interview {self.interview_id}"


class ConcernKind(models.TextChoices):
    ANSWERED_FOR_APPLICANT = "answered_for_applicant", _("Answered for the applicant")
    ADDED_CONTENT = "added_content", _("Added content the applicant did not say")
    LEFT_OUT_CONTENT = "left_out_content", _("Left out what the applicant said")
    CONDUCT = "conduct", _("Behaviour towards the applicant")
    LANGUAGE_MISMATCH = "language_mismatch", _("Language or dialect not understood")
    OTHER = "other", _("Something else")


class InterpreterConcern(models.Model):
    """An officer's report of what they saw an interpreter do. Every one goes to quality
    assurance (the quality issue samples all of them)."""

    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, related_name="interpreter_concerns"
    )
    interpreter = models.ForeignKey(Interpreter, on_delete=models.PROTECT, related_name="concerns")
    kind = models.CharField(max_length=32, choices=ConcernKind.choices)
    details = models.TextField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reported_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.kind} in interview {self.interview_id}"
