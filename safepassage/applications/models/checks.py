"""The checks an application passes before a decision: identity and security.

Each run of a check is a row, kept: who ran it, when, what it found (the evidence) and, where an
officer had to decide, who decided, when and why. Running a check again supersedes the earlier
run without deleting it, so there is one current check of each kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models.portal import Application


class CheckKind(models.TextChoices):
    IDENTITY = "identity", _("Identity check")
    SECURITY = "security", _("Security check")


class CheckOutcome(models.TextChoices):
    """What the policy gate sees as ``checks.identity`` / ``checks.security``."""

    PENDING = "pending", _("Waiting for an officer")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class ScreeningResult(models.TextChoices):
    """What a security screening provider returned."""

    CLEAR = "clear", _("Clear")
    POSSIBLE_MATCH = "possible_match", _("Possible match")
    MATCH = "match", _("Match")


class ApplicationCheck(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="checks")
    kind = models.CharField(max_length=10, choices=CheckKind.choices)
    outcome = models.CharField(
        max_length=10, choices=CheckOutcome.choices, default=CheckOutcome.PENDING
    )
    # Which provider or matcher produced the evidence, e.g. "local-watch-list" or "find_candidates".
    provider = models.CharField(max_length=60, blank=True)
    # A security provider's clear / possible_match / match; for identity, blank.
    result = models.CharField(max_length=16, choices=ScreeningResult.choices, blank=True)
    # What the check found: candidates with their probabilities, or watch-list hits with scores.
    evidence = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_by_label = models.CharField(max_length=40)
    started_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_reason = models.TextField(blank=True)
    # Identity: the person record the applicant was found to be, or the one made for them.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_check_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} check {self.pk}: {self.outcome}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None


class WatchList(models.Model):
    """One upload of the watch list, from the administrator's CSV. The newest is current; earlier
    ones are kept so a past check's evidence can be traced to the list it was run against."""

    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    entry_count = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_watch_list"
            ),
        ]

    def __str__(self) -> str:
        return f"watch list {self.pk}"


class WatchListEntry(models.Model):
    watch_list = models.ForeignKey(WatchList, on_delete=models.PROTECT, related_name="entries")
    row_number = models.PositiveIntegerField()
    # The list owner's own reference for the entry, quoted in evidence instead of the name.
    list_reference = models.CharField(max_length=60)
    given_names = models.CharField(max_length=150, blank=True)
    family_name = models.CharField(max_length=150)
    date_of_birth = models.CharField(max_length=10, blank=True)  # YYYY, YYYY-MM or YYYY-MM-DD
    nationality = models.CharField(max_length=3, blank=True)

    class Meta:
        ordering = ["watch_list", "row_number"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"watch list entry {self.list_reference}"


class WatchListKey(models.Model):
    """One consonant skeleton (people.matching.normalise) of one word of an entry's names, so
    that screening finds the few entries worth comparing with an index lookup, in any order of
    the names and from any script, instead of reading the whole list."""

    watch_list = models.ForeignKey(WatchList, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(WatchListEntry, on_delete=models.PROTECT, related_name="keys")
    key = models.CharField(max_length=60)

    class Meta:
        default_permissions = ()
        # watch_list and key find the rows; entry makes the index cover the candidate query.
        indexes = [models.Index(fields=["watch_list", "key", "entry"], name="watch_list_key")]

    def __str__(self) -> str:
        return self.key
