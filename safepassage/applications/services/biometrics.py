"""Deferred biometrics: centres and their hours, asking for biometrics, booking an
appointment, recording attendance, and reminders.

Booking is safe under concurrency without locking the slot: the application is locked (one
applicant's double tap waits for the first), the lowest free desk of the slot is taken, and the
database's unique constraint on a live booking of (centre, start, desk) is the guarantee. If the
insert of a desk fails, it is retried inside a savepoint with the next desk; when none is left
the applicant is told that the slot has just been taken, and nothing has changed.

Rebooking is booking while an appointment stands: the old one is cancelled (kept, and marked)
and the new one made in the same transaction. Changes are counted from the cancelled rows, so
the allowance (settings.BIOMETRICS_REBOOKS) cannot be got round. An appointment whose attendance
has been recorded is closed the same way when a later booking is made (after a missed one, or
when biometrics are asked for again), and that is not counted as a change.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.biometrics import (
    booking_state,
    centre_periods,
    centre_zone,
    free_desks,
    is_slot_start,
    is_time_zone,
    taken_desks,
)
from safepassage.applications.lifecycle import move
from safepassage.applications.models import (
    Application,
    ApplicationStatus,
    Attendance,
    BiometricAppointment,
    BiometricCentre,
    OpeningHours,
)
from safepassage.applications.notifications import send_appointment_message
from safepassage.applications.selectors import case_get, require_can_act_for
from safepassage.applications.tasks import (
    send_appointment_confirmation_task,
    send_biometrics_reminders_task,
    send_biometrics_request_task,
)
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, SystemActor, actor_label, staff_user
from safepassage.core.countries import is_country
from safepassage.core.errors import Conflict, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.services.locations import CODE_PATTERN
from safepassage.core.updates import model_update
from safepassage.core.validation import FieldErrors

logger = logging.getLogger(__name__)

# What a biometric enrolment system prints on its receipt: letters, digits and dashes.
ENROLMENT_REFERENCE = re.compile(r"^[A-Za-z0-9-]{6,40}$")
SLOT_MINUTES = (5, 240)
MOST_DESKS = 100
ADDRESS_MAX = 500

# What the applicant reads when a booking is refused (tests hold the exact words).
NOT_NEEDED = _("You do not need to book a biometrics appointment for this application.")
CENTRE_NOT_BOOKING = _("This centre is not taking bookings. Choose another centre.")
IN_THE_PAST = _("That time has passed. Choose a time in the future.")
TOO_SOON = _("Appointments must be booked at least %(hours)d hours ahead. Choose a later time.")
TOO_FAR = _("You can book up to %(days)d days ahead. Choose an earlier date.")
NOT_A_SLOT = _("The centre is not open for appointments at that time. Choose a time from the list.")
SLOT_FULL = _("That time is fully booked. Choose another time.")
JUST_TAKEN = _("Someone has just booked the last place at that time. Choose another time.")
NO_MORE_CHANGES = _(
    "You have already changed your appointment as many times as you can. If you cannot go, "
    "tell us in the “Tell us something new” box on your application's page."
)
SAME_APPOINTMENT = _("This is already your appointment. Choose a different time to change it.")
ALREADY_STARTED = _("The time of your appointment has passed, so it can no longer be changed.")

Hours = Sequence[tuple[int, time, time]]


# --- Centres and their hours (administrators) ---------------------------------------------------


def _check_centre(
    *,
    centre: BiometricCentre | None,
    code: str,
    name: str,
    city: str,
    country: str,
    address: str,
    time_zone: str,
    slot_minutes: int,
    desks: int,
    errors: FieldErrors,
) -> dict[str, Any]:
    code = code.strip().lower()
    name = " ".join(name.split())
    city = " ".join(city.split())
    country = country.strip().upper()
    address = "\n".join(line.strip() for line in address.strip().splitlines() if line.strip())
    time_zone = time_zone.strip()
    if centre is not None and code != centre.code:
        errors.add("code", _("A centre's code cannot be changed: other systems use it"))
    elif centre is None:
        if not CODE_PATTERN.match(code):
            errors.add(
                "code",
                _("Code must be 2 to 40 characters: lower-case letters, numbers and hyphens"),
            )
        elif BiometricCentre.objects.filter(code=code).exists():
            errors.add("code", _("Another centre already has this code"))
    if not name:
        errors.add("name", _("Enter the centre's name"))
    elif len(name) > 150:
        errors.add("name", _("Name must be 150 characters or fewer"))
    if not city:
        errors.add("city", _("Enter the city"))
    elif len(city) > 100:
        errors.add("city", _("City must be 100 characters or fewer"))
    if not is_country(country):
        errors.add("country", _("Choose the country"))
    if not address:
        errors.add("address", _("Enter the centre's address"))
    elif len(address) > ADDRESS_MAX:
        errors.add("address", _("Address must be 500 characters or fewer"))
    if not is_time_zone(time_zone):
        errors.add(
            "time_zone",
            _("Enter a time zone from the IANA list, like Africa/Nairobi or Asia/Beirut"),
        )
    if not SLOT_MINUTES[0] <= slot_minutes <= SLOT_MINUTES[1]:
        errors.add(
            "slot_minutes", _("The length of an appointment must be between 5 and 240 minutes")
        )
    if not 1 <= desks <= MOST_DESKS:
        errors.add("desks", _("Enter a number of desks from 1 to 100"))
    return {
        "code": code,
        "name": name,
        "city": city,
        "country": country,
        "address": address,
        "time_zone": time_zone,
        "slot_minutes": slot_minutes,
        "desks": desks,
    }


def _check_hours(hours: Hours, errors: FieldErrors) -> list[tuple[int, time, time]]:
    """Each day's periods: closing after opening, none overlapping. Errors are against the
    day's fields (opens_0 … closes_6), as the form names them."""
    by_day: dict[int, list[tuple[time, time]]] = {}
    for weekday, opens, closes in hours:
        if weekday not in WEEKDAYS:
            errors.add("hours", _("Opening hours must be for a day from Monday to Sunday"))
            continue
        if closes <= opens:
            errors.add(
                f"closes_{weekday}",
                _("On %(day)s, the closing time must be after the opening time")
                % {"day": WEEKDAYS[weekday]},
            )
            continue
        by_day.setdefault(weekday, []).append((opens, closes))
    cleaned: list[tuple[int, time, time]] = []
    for weekday, periods in sorted(by_day.items()):
        periods.sort()
        for (_opens, previous_closes), (next_opens, _closes) in pairwise(periods):
            if next_opens < previous_closes:
                errors.add(
                    f"opens_{weekday}",
                    _("On %(day)s, the opening periods overlap") % {"day": WEEKDAYS[weekday]},
                )
                break
        cleaned.extend((weekday, opens, closes) for opens, closes in periods)
    return cleaned


def _hours_payload(hours: Sequence[tuple[int, time, time]]) -> list[list[Any]]:
    return [[weekday, f"{opens:%H:%M}", f"{closes:%H:%M}"] for weekday, opens, closes in hours]


def _replace_hours(
    *, actor: Actor, centre: BiometricCentre, hours: Sequence[tuple[int, time, time]]
) -> None:
    before = _hours_payload(
        [(item.weekday, item.opens, item.closes) for item in centre.opening_hours.all()]
    )
    after = _hours_payload(hours)
    if before == after:
        return
    # Opening hours are the centre's settings, not a record of anyone: the week is replaced
    # whole, and the audit event keeps what it was and what it became.
    OpeningHours.objects.filter(centre=centre).delete()
    OpeningHours.objects.bulk_create(
        [
            OpeningHours(centre=centre, weekday=weekday, opens=opens, closes=closes)
            for weekday, opens, closes in hours
        ]
    )
    audit_append(
        actor=actor,
        event=events.OPENING_HOURS_SET,
        target=centre,
        payload={"code": centre.code, "from": before, "to": after},
    )


def centre_save(
    *,
    actor: Actor,
    centre: BiometricCentre | None = None,
    code: str,
    name: str,
    city: str,
    country: str,
    address: str,
    time_zone: str,
    slot_minutes: int,
    desks: int,
    is_active: bool = True,
    hours: Hours | None = None,
) -> BiometricCentre:
    """Add a centre (``centre`` None) or change one; with ``hours``, set its week of opening
    hours in the same transaction. Bookings already made are kept as they are."""
    require_permission(actor, Perm.MANAGE_VISA_SCHEME)
    errors = FieldErrors()
    data = _check_centre(
        centre=centre,
        code=code,
        name=name,
        city=city,
        country=country,
        address=address,
        time_zone=time_zone,
        slot_minutes=slot_minutes,
        desks=desks,
        errors=errors,
    )
    cleaned_hours = _check_hours(hours, errors) if hours is not None else None
    errors.raise_if_any()
    with transaction.atomic():
        if centre is None:
            centre = BiometricCentre(**data, is_active=is_active)
            centre.full_clean()
            centre.save()
            audit_append(
                actor=actor,
                event=events.BIOMETRIC_CENTRE_SAVED,
                target=centre,
                payload={**data, "is_active": is_active, "created": True},
            )
        else:
            centre = BiometricCentre.objects.select_for_update().get(pk=centre.pk)
            fields = ["name", "city", "country", "address", "time_zone", "slot_minutes", "desks"]
            diff = model_update(
                instance=centre,
                data={**{field: data[field] for field in fields}, "is_active": is_active},
                fields=[*fields, "is_active"],
            )
            if diff:
                audit_append(
                    actor=actor,
                    event=events.BIOMETRIC_CENTRE_SAVED,
                    target=centre,
                    payload={"code": centre.code, "changed": diff},
                )
        if cleaned_hours is not None:
            _replace_hours(actor=actor, centre=centre, hours=cleaned_hours)
    return centre


def opening_hours_set(*, actor: Actor, centre: BiometricCentre, hours: Hours) -> BiometricCentre:
    """Replace the centre's week of opening hours: (weekday, opens, closes), Monday being 0,
    in the centre's local time. A day with no period is closed."""
    require_permission(actor, Perm.MANAGE_VISA_SCHEME)
    errors = FieldErrors()
    cleaned = _check_hours(hours, errors)
    errors.raise_if_any()
    with transaction.atomic():
        centre = BiometricCentre.objects.select_for_update().get(pk=centre.pk)
        _replace_hours(actor=actor, centre=centre, hours=cleaned)
    return centre


# --- Asking for biometrics (decision makers) ----------------------------------------------------


def biometrics_request(*, actor: Actor, application: Application) -> Application:
    """Ask the applicant to book an appointment, and tell them so."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    with transaction.atomic():
        visible = case_get(actor, application.public_id)
        locked = Application.objects.select_for_update().get(pk=visible.pk)
        if locked.status == ApplicationStatus.BIOMETRICS_NEEDED:
            raise Conflict(_("Biometrics have already been asked for."))
        previous = locked.status
        move(locked, ApplicationStatus.BIOMETRICS_NEEDED, actor=actor)
        audit_append(
            actor=actor,
            event=events.BIOMETRICS_REQUESTED,
            target=locked,
            payload={"from": previous},
        )
        application_id = locked.pk
        transaction.on_commit(lambda: send_biometrics_request_task.enqueue(application_id))
    return locked


# --- Booking (the applicant, or a partner acting for them) --------------------------------------


def booking_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """From when to when an applicant may book, as of ``now``."""
    now = now or timezone.now()
    return (
        now + timedelta(hours=settings.BIOMETRICS_MINIMUM_NOTICE_HOURS),
        now + timedelta(days=settings.BIOMETRICS_BOOKING_DAYS),
    )


def _check_time(centre: BiometricCentre, starts_at: datetime, now: datetime) -> None:
    earliest, latest = booking_window(now)
    if starts_at <= now:
        raise ValidationFailed(IN_THE_PAST, field="slot")
    if starts_at < earliest:
        raise ValidationFailed(
            TOO_SOON % {"hours": settings.BIOMETRICS_MINIMUM_NOTICE_HOURS}, field="slot"
        )
    if starts_at > latest:
        raise ValidationFailed(TOO_FAR % {"days": settings.BIOMETRICS_BOOKING_DAYS}, field="slot")
    if not is_slot_start(
        centre_periods(centre), centre_zone(centre), centre.slot_minutes, starts_at
    ):
        raise ValidationFailed(NOT_A_SLOT, field="slot")


def _schedule_reminder(due: datetime) -> None:
    """Book a run of the reminder task for when an appointment's reminder is due. A backend
    that cannot defer work (the immediate one) leaves it to the send_biometrics_reminders
    command."""
    if send_biometrics_reminders_task.get_backend().supports_defer:
        send_biometrics_reminders_task.using(run_after=due).enqueue()


def appointment_book(
    *,
    actor: Actor,
    application: Application,
    centre: BiometricCentre,
    starts_at: datetime,
) -> BiometricAppointment:
    """Book (or change) the application's biometrics appointment at ``starts_at`` (aware)."""
    require_can_act_for(actor, application)
    if timezone.is_naive(starts_at):
        raise ValidationFailed(NOT_A_SLOT, field="slot")
    starts_at = starts_at.astimezone(UTC)
    now = timezone.now()
    due = starts_at - timedelta(hours=settings.BIOMETRICS_REMINDER_HOURS)
    label = actor_label(actor)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.BIOMETRICS_NEEDED:
            raise Conflict(NOT_NEEDED)
        centre = BiometricCentre.objects.prefetch_related("opening_hours").get(pk=centre.pk)
        if not centre.is_active:
            raise ValidationFailed(CENTRE_NOT_BOOKING, field="centre")
        _check_time(centre, starts_at, now)
        state = booking_state(locked)
        current = state.appointment
        if current is not None and state.is_pending:
            if current.centre_id == centre.pk and current.starts_at == starts_at:
                raise ValidationFailed(SAME_APPOINTMENT, field="slot")
            if current.starts_at <= now:
                raise Conflict(ALREADY_STARTED)
            if state.rebooks_used >= state.rebooks_allowed:
                raise Conflict(NO_MORE_CHANGES)
        candidates = free_desks(centre.desks, taken_desks(centre, [starts_at]).get(starts_at, ()))
        if not candidates:
            raise ValidationFailed(SLOT_FULL, field="slot")
        if current is not None:
            # Rebooking gives the old desk back; an appointment whose attendance is recorded is
            # closed the same way, and keeps what was recorded.
            current.cancelled_at = now
            current.cancelled_by_label = label
            current.save(update_fields=["cancelled_at", "cancelled_by_label"])
        appointment = _take_a_desk(
            application=locked,
            centre=centre,
            starts_at=starts_at,
            desks=candidates,
            label=label,
            # Booked inside the reminder window: the confirmation is the reminder.
            reminded=now if due <= now else None,
        )
        audit_append(
            actor=actor,
            event=events.APPOINTMENT_BOOKED,
            target=locked,
            payload={
                "appointment": appointment.pk,
                "centre": centre.code,
                "starts_at": starts_at.isoformat(),
                "desk": appointment.desk,
                "replaces": current.pk if current is not None else None,
            },
        )
        appointment_id = appointment.pk
        transaction.on_commit(lambda: send_appointment_confirmation_task.enqueue(appointment_id))
        if appointment.reminder_sent_at is None:
            # The command sweeps up a reminder whose run could not be booked.
            transaction.on_commit(lambda: _schedule_reminder(due), robust=True)
    return appointment


def _take_a_desk(
    *,
    application: Application,
    centre: BiometricCentre,
    starts_at: datetime,
    desks: Sequence[int],
    label: str,
    reminded: datetime | None,
) -> BiometricAppointment:
    """The lowest of ``desks`` that nobody has taken since they were read. The unique
    constraint decides; each try is its own savepoint, so a failed one leaves the transaction
    usable."""
    for desk in desks:
        try:
            with transaction.atomic():
                return BiometricAppointment.objects.create(
                    application=application,
                    centre=centre,
                    starts_at=starts_at,
                    desk=desk,
                    booked_by_label=label,
                    reminder_sent_at=reminded,
                )
        except IntegrityError:
            continue
    raise Conflict(JUST_TAKEN, field="slot")


# --- Attendance (staff at the centre, or caseworkers from its report) ---------------------------


def attendance_record(
    *,
    actor: Actor,
    appointment: BiometricAppointment,
    attended: bool,
    enrolment_reference: str,
) -> BiometricAppointment:
    """Record whether the applicant came, once. Coming moves the application on to its checks."""
    require_permission(actor, Perm.RECORD_BIOMETRICS)
    reference = enrolment_reference.strip()
    if attended and not reference:
        raise ValidationFailed(
            _("Enter the enrolment reference from the biometrics system"),
            field="enrolment_reference",
        )
    if attended and not ENROLMENT_REFERENCE.match(reference):
        raise ValidationFailed(
            _("The enrolment reference must be 6 to 40 letters, numbers and dashes"),
            field="enrolment_reference",
        )
    if not attended and reference:
        raise ValidationFailed(
            _("Leave the enrolment reference empty when the applicant did not attend"),
            field="enrolment_reference",
        )
    now = timezone.now()
    with transaction.atomic():
        visible = case_get(actor, appointment.application.public_id)
        application = Application.objects.select_for_update().get(pk=visible.pk)
        locked = BiometricAppointment.objects.select_for_update().get(
            pk=appointment.pk, application=application
        )
        if locked.attendance:
            raise Conflict(_("Attendance at this appointment has already been recorded."))
        if locked.cancelled_at is not None:
            raise Conflict(
                _("This appointment was cancelled, so there is no attendance to record.")
            )
        if now < locked.starts_at:
            raise Conflict(_("Attendance cannot be recorded before the appointment starts."))
        locked.attendance = Attendance.ATTENDED if attended else Attendance.DID_NOT_ATTEND
        locked.enrolment_reference = reference
        locked.attendance_recorded_by = staff_user(actor)
        locked.attendance_recorded_at = now
        locked.save(
            update_fields=[
                "attendance",
                "enrolment_reference",
                "attendance_recorded_by",
                "attendance_recorded_at",
            ]
        )
        if attended and application.status == ApplicationStatus.BIOMETRICS_NEEDED:
            move(application, ApplicationStatus.CHECKS_IN_PROGRESS, actor=actor)
        audit_append(
            actor=actor,
            event=events.ATTENDANCE_RECORDED,
            target=application,
            payload={"appointment": locked.pk, "attendance": locked.attendance},
        )
    return locked


# --- Reminders (the task worker, or cron through the command) -----------------------------------


def _due_for_a_reminder(now: datetime) -> Any:
    return BiometricAppointment.objects.filter(
        cancelled_at__isnull=True,
        reminder_sent_at__isnull=True,
        attendance="",
        starts_at__gt=now,
        starts_at__lte=now + timedelta(hours=settings.BIOMETRICS_REMINDER_HOURS),
    )


def appointment_reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Send each appointment that starts within BIOMETRICS_REMINDER_HOURS its one reminder.

    Each appointment is its own transaction, locked while its message is sent: a second worker
    skips a row the first holds (SKIP LOCKED, on PostgreSQL) and finds it reminded once the
    first commits. The message is sent before the commit, unlike other messages, so that a
    gateway failure leaves the reminder to be sent on the next run rather than lost.
    """
    actor = SystemActor("biometrics_reminders")
    now = now or timezone.now()
    due = list(_due_for_a_reminder(now).order_by("starts_at").values_list("pk", flat=True))
    features = connection.features
    sent = failed = 0
    for appointment_id in due:
        try:
            with transaction.atomic():
                rows = _due_for_a_reminder(now).filter(pk=appointment_id)
                if features.has_select_for_update_skip_locked:
                    rows = rows.select_for_update(
                        skip_locked=True,
                        of=("self",) if features.has_select_for_update_of else (),
                    )
                appointment = rows.select_related("centre", "application__applicant").first()
                if appointment is None:
                    continue  # another worker has it, or it changed since the list was read
                send_appointment_message(appointment, template="appointment_reminder")
                appointment.reminder_sent_at = timezone.now()
                appointment.save(update_fields=["reminder_sent_at"])
                audit_append(
                    actor=actor,
                    event=events.APPOINTMENT_REMINDER_SENT,
                    target=appointment.application,
                    payload={"appointment": appointment.pk},
                )
                sent += 1
        except Exception:  # one failed message must not stop the others
            logger.exception("biometrics reminder for appointment %s failed", appointment_id)
            failed += 1
    return {"sent": sent, "failed": failed}
