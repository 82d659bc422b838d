"""People and their identities.

A person's identity is never overwritten: a correction is a new identity that supersedes the old
one, which is kept. Two records found to be the same person are merged by pointing one person at
the other, so a merge loses nothing and can be undone. A biometric reference is an opaque
enrolment id in another system: no images or templates are kept here.
"""

from __future__ import annotations

import uuid

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def validate_nationality(code: str) -> None:
    if code and pycountry.countries.get(alpha_3=code) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 3166 alpha-3 country code"), params={"code": code}
        )


class Person(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Empty when the system made the record (an import, the demo data).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when this record was found to be the same person as another: the other survives.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_people"
    )

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()
        permissions = [
            ("view_person", "Can see people's records"),
            ("record_identity", "Can record and correct identities"),
            ("resolve_match", "Can decide whether two records are the same person"),
            ("undo_merge", "Can undo a merge of two people"),
        ]

    def __str__(self) -> str:
        return f"person {self.pk}"


class Precision(models.TextChoices):
    YEAR = "year", _("Year only")
    MONTH = "month", _("Year and month")
    DAY = "day", _("Full date")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")
    OTHER = "X", _("Another way")
    UNKNOWN = "", _("Not known")


class Script(models.TextChoices):
    ARABIC = "Arab", _("Arabic script (Arabic, Persian, Dari, Pashto, Kurdish)")
    ETHIOPIC = "Ethi", _("Ethiopic (Tigrinya, Amharic)")
    CYRILLIC = "Cyrl", _("Cyrillic")
    LATIN = "Latn", _("Latin, with its own letters or accents")
    OTHER = "Zyyy", _("Another script")


class IdentitySource(models.TextChoices):
    REGISTRATION = "registration", _("Registration on arrival")
    VISA_APPLICATION = "visa_application", _("Safe-passage visa application")
    CORRECTION = "correction", _("Correction")
    IMPORT = "import", _("Imported")


class Identity(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="identities")
    given_names = models.CharField(_("given names (Latin letters)"), max_length=150, blank=True)
    family_name = models.CharField(_("family name (Latin letters)"), max_length=150, blank=True)
    given_names_original = models.CharField(
        _("given names (original script)"), max_length=150, blank=True
    )
    family_name_original = models.CharField(
        _("family name (original script)"), max_length=150, blank=True
    )
    original_script = models.CharField(max_length=4, choices=Script.choices, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    dob_precision = models.CharField(max_length=5, choices=Precision.choices, blank=True)
    dob_estimated = models.BooleanField(default=False)
    dob_disputed = models.BooleanField(default=False)
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    nationality = models.CharField(max_length=3, blank=True, validators=[validate_nationality])
    place_of_birth = models.CharField(max_length=120, blank=True)
    languages = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=20, choices=IdentitySource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)
    # Normalised keys for finding candidates quickly (people.matching.normalise).
    given_key = models.CharField(max_length=60, blank=True, db_index=True)
    family_key = models.CharField(max_length=60, blank=True, db_index=True)
    dob_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        default_permissions = ()
        indexes = [
            models.Index(fields=["family_key", "dob_year"], name="identity_family_year"),
            models.Index(fields=["given_key", "dob_year"], name="identity_given_year"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=True) | ~models.Q(dob_precision=""),
                name="identity_dob_has_precision",
            )
        ]

    def __str__(self) -> str:
        return f"identity {self.pk} of person {self.person_id}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)

    @property
    def full_name_original(self) -> str:
        return " ".join(
            part for part in (self.given_names_original, self.family_name_original) if part
        )

    @property
    def date_of_birth_text(self) -> str:
        """As recorded: YYYY, YYYY-MM or YYYY-MM-DD."""
        if self.date_of_birth is None:
            return ""
        if self.dob_precision == Precision.YEAR:
            return f"{self.date_of_birth:%Y}"
        if self.dob_precision == Precision.MONTH:
            return f"{self.date_of_birth:%Y-%m}"
        return self.date_of_birth.isoformat()


class IdentityNameKey(models.Model):
    """One consonant skeleton of one word of an identity's names, for order- and
    spelling-insensitive candidate search."""

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=60)
    dob_year = models.PositiveSmallIntegerField(null=True)

    class Meta:
        default_permissions = ()
        indexes = [models.Index(fields=["key", "dob_year"], name="identity_name_key")]

    def __str__(self) -> str:
        return self.key


class DocumentType(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    REFUGEE_ID = "refugee_id", _("Refugee or UNHCR document")
    OTHER = "other", _("Another document")


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Not checked")
    EXAMINED = "examined", _("Examined by an officer")
    FORENSIC = "forensic", _("Examined by a document specialist")
    ISSUER = "issuer", _("Confirmed with the issuer")
    SUSPECTED_FALSE = "suspected_false", _("Suspected false")


class IdentityDocument(models.Model):
    identity = models.ForeignKey(Identity, on_delete=models.PROTECT, related_name="documents")
    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    number = models.CharField(max_length=40)
    number_key = models.CharField(max_length=40, db_index=True, editable=False)
    issuing_country = models.CharField(max_length=3, blank=True, validators=[validate_nationality])
    expires_on = models.DateField(null=True, blank=True)
    verification = models.CharField(
        max_length=20, choices=Verification.choices, default=Verification.UNVERIFIED
    )

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} {self.number}"


class BiometricReference(models.Model):
    """Only the enrolment id in the biometric system: no images or templates, ever."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="biometrics")
    system = models.CharField(max_length=40)
    enrolment_id = models.CharField(max_length=80)
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["system", "enrolment_id"], name="biometric_unique")
        ]

    def __str__(self) -> str:
        return f"{self.system}:{self.enrolment_id}"


class Decision(models.TextChoices):
    SAME = "same", _("The same person")
    NOT_SAME = "not_same", _("Not the same person")
    DEFERRED = "deferred", _("Decide later")


class MatchDecision(models.Model):
    """An officer's decision about a pair of people. The latest decision on a pair stands;
    earlier ones are kept."""

    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    candidate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    probability = models.FloatField(null=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.subject_id}/{self.candidate_id}: {self.decision}"


class Merge(models.Model):
    """One person found to be another. Undoing it clears the pointer; this record stays."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-performed_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.merged_id} into {self.survivor_id}"
