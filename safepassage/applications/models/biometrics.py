"""Deferred biometrics: visa application centres, their opening hours, and appointments.

A centre has desks; each slot (its opening hours cut into equal lengths) takes one appointment
per desk. A booking holds one desk of one slot, and a database constraint makes a second booking
of the same desk impossible, so two applicants racing for the last place cannot both have it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models.portal import Application


class BiometricCentre(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=3)
    address = models.TextField(_("address"))
    # The centre's own time zone: opening hours and slots are in local time.
    time_zone = models.CharField(_("time zone"), max_length=60)
    slot_minutes = models.PositiveSmallIntegerField(_("length of an appointment, in minutes"))
    desks = models.PositiveSmallIntegerField(_("appointments at the same time"))
    is_active = models.BooleanField(_("taking bookings"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["country", "city", "name"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=Q(desks__gte=1), name="centre_has_a_desk"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5, slot_minutes__lte=240),
                name="centre_slot_length_sensible",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    centre = models.ForeignKey(
        BiometricCentre, on_delete=models.CASCADE, related_name="opening_hours"
    )
    weekday = models.PositiveSmallIntegerField()  # Monday is 0, as datetime.weekday()
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["centre", "weekday", "opens"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_weekday_valid"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="opening_closes_later"),
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.weekday} {self.opens}-{self.closes}"


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    DID_NOT_ATTEND = "did_not_attend", _("Did not attend")


class BiometricAppointment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="appointments"
    )
    centre = models.ForeignKey(
        BiometricCentre, on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField()
    desk = models.PositiveSmallIntegerField()
    booked_at = models.DateTimeField(default=timezone.now)
    booked_by_label = models.CharField(max_length=40)
    # Set when the applicant rebooks (the old appointment gives its desk back) or it is cancelled.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_label = models.CharField(max_length=40, blank=True)
    attendance = models.CharField(max_length=16, choices=Attendance.choices, blank=True)
    enrolment_reference = models.CharField(max_length=60, blank=True)
    attendance_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "starts_at", "desk"],
                condition=Q(cancelled_at__isnull=True),
                name="one_booking_per_desk_and_slot",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(cancelled_at__isnull=True),
                name="one_live_appointment_per_application",
            ),
        ]
        indexes = [
            models.Index(
                fields=["starts_at"],
                name="appointment_reminders",
                condition=Q(cancelled_at__isnull=True, reminder_sent_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"appointment {self.pk}"

    @property
    def is_live(self) -> bool:
        return self.cancelled_at is None
