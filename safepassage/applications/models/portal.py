"""Safe-passage visa applications, the people who make them, and the partners who help.

An applicant has no password and no staff account: they prove they hold an email address or a
mobile number with a one-time code. An application is a draft until it is submitted; after that
nothing is deleted — a withdrawn application is kept and marked, a removed upload is kept and
marked, a revoked consent is kept and marked.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications.queue import PRIORITY_LABELS


class ContactKind(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Applicant(models.Model):
    """Whoever holds this email address or mobile number. Found by it, never by a name."""

    contact_kind = models.CharField(max_length=8, choices=ContactKind.choices)
    # Normalised: E.164 for a phone, lower-case domain for an email (core.sms).
    contact = models.CharField(max_length=254, unique=True)
    language = models.CharField(max_length=10, default="en")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    failed_code_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"applicant:{self.pk}"

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())


class AccessCode(models.Model):
    """A six-digit code sent to the applicant. Only a keyed hash of it is stored; one use."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Set when a newer code replaces this one or the applicant is locked out.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # A keyed digest of the network address it was asked from (core.network), to limit how many
    # codes one network can have sent; never the address itself.
    requested_from = models.CharField(max_length=32, blank=True, db_index=True)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["applicant", "-created_at"])]

    def __str__(self) -> str:
        return f"access code {self.pk}"


class PartnerOrganisation(models.Model):
    """A charity or legal-aid organisation whose caseworkers help people apply."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        default_permissions = ()
        permissions = [
            ("help_applicants", "Can start and submit applications on an applicant's behalf"),
            ("manage_partners", "Can add partner organisations and their caseworkers"),
        ]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """The organisation a partner caseworker works for (one each)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_membership"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="members"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} at {self.organisation_id}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    RECEIVED = "received", _("Received")
    CHECKS_IN_PROGRESS = "checks_in_progress", _("Checks in progress")
    BIOMETRICS_NEEDED = "biometrics_needed", _("Biometrics appointment needed")
    DECIDED = "decided", _("Decided")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Sent and not yet decided: what the queue shows, and what can still be added to or withdrawn.
UNDECIDED_STATUSES = (
    ApplicationStatus.RECEIVED,
    ApplicationStatus.CHECKS_IN_PROGRESS,
    ApplicationStatus.BIOMETRICS_NEEDED,
)


class Channel(models.TextChoices):
    PORTAL = "portal", _("Online, by the applicant")
    PARTNER = "partner", _("Online, helped by a partner organisation")
    API = "api", _("From a partner organisation's system")


class Relationship(models.TextChoices):
    MAIN = "main", _("Main applicant")
    CHILD = "child", _("Child of the main applicant")


class Application(models.Model):
    """One person's application. A child applying with a parent has their own, linked to the
    parent's by ``lead``."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(max_length=14, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        max_length=24, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    answers = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, default="en")
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.PORTAL)
    relationship = models.CharField(
        max_length=8, choices=Relationship.choices, default=Relationship.MAIN
    )
    lead = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="family_members"
    )
    helped_by = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The idempotency key of the submission that sent this application: a form's hidden key, or
    # a partner system's Idempotency-Key header (namespaced by its user). Unique, so a retried
    # submission can only ever find the application it already made.
    submission_key = models.CharField(max_length=100, unique=True, null=True, blank=True)
    # For a partner system's submission: a digest of what was sent, so that the same key sent
    # with different content is refused rather than silently answered with the first result.
    submission_digest = models.CharField(max_length=64, blank=True)
    # What the queues sort and filter on, copied from the answers at submission.
    nationality = models.CharField(max_length=3, blank=True)
    current_country = models.CharField(max_length=3, blank=True)
    date_of_birth = models.CharField(max_length=10, blank=True)
    is_child = models.BooleanField(default=False)
    declared_vulnerability = models.BooleanField(default=False)
    family_size = models.PositiveSmallIntegerField(default=0)
    # The decision makers' queue (applications.queue): children first, then people who told us
    # of a vulnerability, then everyone else; within each, the longest waiting first. The key
    # spells that order out as one indexed string, so the queue pages by keyset at any depth.
    priority = models.PositiveSmallIntegerField(default=2)
    queue_key = models.CharField(max_length=40, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_applications",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()
        permissions = [("view_application", "Can see submitted visa applications")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False),
                name="application_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=~Q(relationship="child") | Q(lead__isnull=False),
                name="application_child_has_lead",
            ),
        ]
        indexes = [
            models.Index(fields=["applicant", "status"]),
            # The open queue as decision makers usually see it: walked in order, so the first
            # page and a deep one each read only the rows they show.
            models.Index(
                fields=["queue_key"],
                name="application_open_queue",
                condition=Q(
                    lead__isnull=True,
                    status__in=UNDECIDED_STATUSES,
                ),
            ),
            models.Index(fields=["status", "queue_key"], name="application_queue"),
            models.Index(fields=["assigned_to", "queue_key"], name="application_mine"),
            # The identity check's look for other applications with the same date of birth,
            # whose names it then compares (applications.services.identity).
            models.Index(fields=["date_of_birth"], name="application_date_of_birth"),
        ]

    def __str__(self) -> str:
        return self.reference or f"draft {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def priority_label(self) -> str:
        return str(PRIORITY_LABELS.get(self.priority, ""))

    @property
    def can_withdraw(self) -> bool:
        return self.status in UNDECIDED_STATUSES


class StatusChange(models.Model):
    """The application's timeline, as the applicant sees it and staff see it."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(max_length=24, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=24, choices=ApplicationStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    actor_label = models.CharField(max_length=40)

    class Meta:
        ordering = ["at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    TRAVEL_DOCUMENT = "travel_document", _("Refugee or other travel document")
    OTHER = "other", _("Another document")
    CONSENT_FORM = "consent_form", _("Signed consent form")


class ApplicationDocument(models.Model):
    """An uploaded file. Stored privately under a random name (applications.storage)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    storage_name = models.CharField(max_length=200, unique=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by_label = models.CharField(max_length=40)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"document {self.pk}"


class AdditionalInformation(models.Model):
    """Something the applicant (or their partner) told us after submitting."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="additional_information"
    )
    text = models.TextField()
    added_at = models.DateTimeField(default=timezone.now)
    added_by_label = models.CharField(max_length=40)

    class Meta:
        ordering = ["added_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"information {self.pk}"


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", _("Verbal consent, with the consent script read to the applicant")
    SIGNED_FORM = "signed_form", _("A consent form signed by the applicant")


class PartnerConsent(models.Model):
    """The applicant's consent for a partner organisation to act for them. While it stands the
    partner's caseworkers see the application; once revoked, they do not."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="consents")
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="consents"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(max_length=12, choices=ConsentMethod.choices)
    script_version = models.CharField(max_length=20, blank=True)
    signed_form = models.ForeignKey(
        ApplicationDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_label = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="one_standing_consent_per_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"

    @property
    def stands(self) -> bool:
        return self.revoked_at is None
