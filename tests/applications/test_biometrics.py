"""Deferred biometrics: centres and their hours, slots on each centre's own clocks, booking and
rebooking (also when two applicants race for the last place), attendance, reminders, and the
pages of the applicant, the case view and the administrator."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from safepassage.applications.biometrics import (
    Period,
    centre_slots,
    day_starts,
    free_desks,
    grid_starts,
    is_slot_start,
    is_time_zone,
)
from safepassage.applications.models import (
    Application,
    ApplicationStatus,
    BiometricAppointment,
    BiometricCentre,
    OpeningHours,
    PartnerConsent,
)
from safepassage.applications.services import biometrics as services
from safepassage.applications.services.biometrics import (
    ALREADY_STARTED,
    CENTRE_NOT_BOOKING,
    IN_THE_PAST,
    JUST_TAKEN,
    NO_MORE_CHANGES,
    NOT_A_SLOT,
    NOT_NEEDED,
    SAME_APPOINTMENT,
    SLOT_FULL,
    appointment_book,
    appointment_reminders_send,
    attendance_record,
    biometrics_request,
    centre_save,
    opening_hours_set,
)
from safepassage.applications.services.submission import application_withdraw
from safepassage.audit.models import AuditEvent
from safepassage.core import local_dates
from safepassage.core.actors import ApplicantActor, SystemActor
from safepassage.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from safepassage.core.models import User
from safepassage.core.roles import Role
from tests.applications.helpers import (
    errors,
    make_case_reader,
    make_partner_caseworker,
    sign_in_by_email,
    text,
)
from tests.applications.sent import sent
from tests.conftest import is_postgres

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

SYSTEM = SystemActor("tests")
BEIRUT = ZoneInfo("Asia/Beirut")
LONDON = ZoneInfo("Europe/London")
EVERY_DAY = [(weekday, time(0, 0), time(23, 30)) for weekday in range(7)]
WORKING_DAYS = [(weekday, time(9, 0), time(17, 0)) for weekday in range(5)]

TOO_SOON_12 = "Appointments must be booked at least 12 hours ahead. Choose a later time."
TOO_FAR_28 = "You can book up to 28 days ahead. Choose an earlier date."


def make_centre(
    code: str = "beirut",
    *,
    hours: list[tuple[int, time, time]] | None = None,
    desks: int = 2,
    slot_minutes: int = 30,
    time_zone: str = "Asia/Beirut",
    is_active: bool = True,
) -> BiometricCentre:
    return centre_save(
        actor=SYSTEM,
        code=code,
        name=f"Visa centre {code}",
        city="Beirut",
        country="LBN",
        address="Block B, Rue Clemenceau\nHamra",
        time_zone=time_zone,
        slot_minutes=slot_minutes,
        desks=desks,
        is_active=is_active,
        hours=EVERY_DAY if hours is None else hours,
    )


def local_slot(days: int, hour: int = 10, minute: int = 0, zone: ZoneInfo = BEIRUT) -> datetime:
    """The instant of hour:minute on the centre's clocks, ``days`` days from today there."""
    day = timezone.now().astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


def weekday_ahead(days: int, zone: ZoneInfo) -> int:
    """``days``, or more if that falls on a weekend on the centre's clocks: a Monday-to-Friday
    centre's test must not depend on the day it runs."""
    today = timezone.now().astimezone(zone).date()
    while (today + timedelta(days=days)).weekday() >= 5:
        days += 1
    return days


def needing_biometrics(number: int) -> Application:
    application = sent(number)
    return biometrics_request(actor=SYSTEM, application=application)


def applicant(application: Application) -> ApplicantActor:
    return ApplicantActor(application.applicant_id)


def book(application: Application, centre: BiometricCentre, starts_at: datetime) -> Any:
    return appointment_book(
        actor=applicant(application), application=application, centre=centre, starts_at=starts_at
    )


def refused(
    expected: str, application: Application, centre: BiometricCentre, starts_at: datetime
) -> None:
    """The booking is refused with exactly this message, and nothing changes."""
    before = list(BiometricAppointment.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    status = Application.objects.get(pk=application.pk).status
    with pytest.raises(DomainError) as caught:
        book(application, centre, starts_at)
    assert str(caught.value.message) == expected
    assert list(BiometricAppointment.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events
    assert Application.objects.get(pk=application.pk).status == status


# --- The grid (plain functions) -----------------------------------------------------------------


def test_slots_follow_the_opening_hours_grid_and_must_fit_before_closing():
    monday = date(2027, 3, 1)
    periods = [Period(0, time(9, 0), time(10, 45)), Period(0, time(13, 0), time(14, 0))]
    starts = day_starts(periods, BEIRUT, 30, monday)
    assert [start.strftime("%H:%M") for start in starts] == [
        "09:00",
        "09:30",
        "10:00",  # 10:30 would end at 11:00, after closing
        "13:00",
        "13:30",
    ]
    assert day_starts(periods, BEIRUT, 30, monday + timedelta(days=1)) == []  # closed on Tuesday


def test_a_time_off_the_grid_or_when_closed_is_not_a_slot():
    periods = [Period(0, time(9, 0), time(12, 0))]
    monday_nine = datetime(2027, 3, 1, 9, 0, tzinfo=BEIRUT)
    assert is_slot_start(periods, BEIRUT, 30, monday_nine)
    assert is_slot_start(periods, BEIRUT, 30, monday_nine + timedelta(minutes=30))
    assert not is_slot_start(periods, BEIRUT, 30, monday_nine + timedelta(minutes=15))
    assert not is_slot_start(periods, BEIRUT, 30, monday_nine + timedelta(hours=3))  # closes
    assert not is_slot_start(periods, BEIRUT, 30, monday_nine + timedelta(days=1))  # Tuesday
    # The same wall time elsewhere is another instant: 09:00 in London is not 09:00 in Beirut.
    london_nine = datetime(2027, 3, 1, 9, 0, tzinfo=LONDON)  # 11:00 in Beirut
    assert not is_slot_start([Period(0, time(9), time(10))], BEIRUT, 30, london_nine)


def test_slots_stay_on_the_centre_s_clocks_when_the_clocks_change():
    periods = [Period(weekday, time(0, 0), time(3, 0)) for weekday in range(7)] + [
        Period(weekday, time(9, 0), time(10, 0)) for weekday in range(7)
    ]
    # London's clocks go forward at 01:00 on 28 March 2027: 01:00 and 01:30 do not exist.
    spring = day_starts(periods, LONDON, 30, date(2027, 3, 28))
    assert [start.strftime("%H:%M") for start in spring] == [
        "00:00",
        "00:30",
        "02:00",
        "02:30",
        "09:00",
        "09:30",
    ]
    # 09:00 on the centre's clocks is 09:00 UTC the day before and 08:00 UTC that day.
    saturday = grid_starts(
        periods,
        LONDON,
        30,
        datetime(2027, 3, 27, 9, tzinfo=UTC),
        datetime(2027, 3, 27, 9, 1, tzinfo=UTC),
    )
    assert saturday == [datetime(2027, 3, 27, 9, 0, tzinfo=UTC)]
    sunday = grid_starts(
        periods,
        LONDON,
        30,
        datetime(2027, 3, 28, 4, tzinfo=UTC),
        datetime(2027, 3, 28, 12, tzinfo=UTC),
    )
    assert sunday == [
        datetime(2027, 3, 28, 8, 0, tzinfo=UTC),
        datetime(2027, 3, 28, 8, 30, tzinfo=UTC),
    ]
    assert is_slot_start(periods, LONDON, 30, datetime(2027, 3, 28, 8, 0, tzinfo=UTC))
    assert not is_slot_start(periods, LONDON, 30, datetime(2027, 3, 28, 9, 0, tzinfo=UTC))
    # They go back at 02:00 on 31 October 2027: 01:00 and 01:30 happen twice, offered once.
    autumn = day_starts(periods, LONDON, 30, date(2027, 10, 31))
    assert [start.strftime("%H:%M") for start in autumn] == [
        "00:00",
        "00:30",
        "01:00",
        "01:30",
        "02:00",
        "02:30",
        "09:00",
        "09:30",
    ]
    assert len({start.astimezone(UTC) for start in autumn}) == len(autumn)


def test_every_slot_starts_on_the_grid_and_ends_by_closing():
    check_grid()


@given(
    opens=st.integers(min_value=0, max_value=22 * 60),
    length=st.integers(min_value=1, max_value=12 * 60),
    slot=st.integers(min_value=5, max_value=240),
    zone=st.sampled_from(["Asia/Beirut", "Africa/Nairobi", "Asia/Kabul", "America/Bogota"]),
)
def check_grid(opens: int, length: int, slot: int, zone: str) -> None:
    closes = min(opens + length, 23 * 60 + 59)
    period = Period(2, time(opens // 60, opens % 60), time(closes // 60, closes % 60))
    day = date(2027, 6, 2)  # a Wednesday, no clock change in these zones
    starts = day_starts([period], ZoneInfo(zone), slot, day)
    assert len(starts) == max((closes - opens) // slot, 0)
    for start in starts:
        minutes = start.hour * 60 + start.minute
        assert (minutes - opens) % slot == 0
        assert minutes + slot <= closes
        assert is_slot_start([period], ZoneInfo(zone), slot, start)


def test_time_zones_must_be_real_iana_zones():
    assert is_time_zone("Asia/Beirut")
    assert is_time_zone("Africa/Addis_Ababa")
    for name in ["", "Mars/Olympus", "asia/beirut", "localtime", "Factory", "../../etc/passwd"]:
        assert not is_time_zone(name), name


def test_free_desks_are_the_ones_not_taken_lowest_first():
    assert free_desks(3, []) == (1, 2, 3)
    assert free_desks(3, [1, 3]) == (2,)
    assert free_desks(2, [1, 2]) == ()
    assert free_desks(2, [5]) == (1, 2)  # a booking from when the centre had more desks


# --- Centres and opening hours ------------------------------------------------------------------


def test_an_administrator_adds_a_centre_with_its_hours_and_it_is_audited(admin_user):
    centre = centre_save(
        actor=admin_user,
        code="Nairobi-1 ",
        name="  Nairobi   visa centre ",
        city="Nairobi",
        country="ken",
        address="Westlands",
        time_zone="Africa/Nairobi",
        slot_minutes=20,
        desks=3,
        hours=[(0, time(9), time(12)), (0, time(13), time(16)), (2, time(9), time(12))],
    )
    assert (centre.code, centre.name, centre.country) == ("nairobi-1", "Nairobi visa centre", "KEN")
    assert list(centre.opening_hours.values_list("weekday", "opens", "closes")) == [
        (0, time(9), time(12)),
        (0, time(13), time(16)),
        (2, time(9), time(12)),
    ]
    actions = list(
        AuditEvent.objects.filter(object_type="applications.biometriccentre").values_list(
            "action", flat=True
        )
    )
    assert actions == ["applications.biometric_centre_saved", "applications.opening_hours_set"]

    opening_hours_set(actor=admin_user, centre=centre, hours=[(4, time(8), time(11))])
    assert list(centre.opening_hours.values_list("weekday", "opens", "closes")) == [
        (4, time(8), time(11))
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"time_zone": "Beirut"}, "time_zone", "Enter a time zone from the IANA list"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Enter a time zone from the IANA list"),
        ({"country": "XXX"}, "country", "Choose the country"),
        ({"desks": 0}, "desks", "Enter a number of desks from 1 to 100"),
        ({"slot_minutes": 4}, "slot_minutes", "between 5 and 240 minutes"),
        ({"slot_minutes": 241}, "slot_minutes", "between 5 and 240 minutes"),
        ({"code": "Not a code!"}, "code", "lower-case letters, numbers and hyphens"),
        ({"name": "   "}, "name", "Enter the centre's name"),
        (
            {"hours": [(1, time(17), time(9))]},
            "closes_1",
            "On Tuesday, the closing time must be after the opening time",
        ),
        (
            {"hours": [(3, time(9), time(13)), (3, time(12), time(16))]},
            "opens_3",
            "On Thursday, the opening periods overlap",
        ),
    ],
)
def test_a_centre_with_bad_details_is_refused_and_nothing_is_saved(
    admin_user: User, change: dict[str, Any], field: str, message: str
) -> None:
    details: dict[str, Any] = {
        "code": "amman",
        "name": "Amman visa centre",
        "city": "Amman",
        "country": "JOR",
        "address": "Abdali",
        "time_zone": "Asia/Amman",
        "slot_minutes": 30,
        "desks": 2,
        "hours": WORKING_DAYS,
        **change,
    }
    with pytest.raises(DomainError) as caught:
        centre_save(actor=admin_user, **details)
    fields = caught.value.field_errors()
    assert message in " ".join(fields[field])
    assert not BiometricCentre.objects.exists()
    assert not OpeningHours.objects.exists()


def test_only_administrators_manage_centres(make_user):
    centre = make_centre()
    decider = make_user(Role.DECISION_MAKER)
    with pytest.raises(PermissionDenied):
        opening_hours_set(actor=decider, centre=centre, hours=[])
    with pytest.raises(PermissionDenied):
        make_centre_as(decider)
    assert centre.opening_hours.count() == 7


def make_centre_as(actor: Any) -> BiometricCentre:
    return centre_save(
        actor=actor,
        code="other",
        name="Other",
        city="Erbil",
        country="IRQ",
        address="Street",
        time_zone="Asia/Baghdad",
        slot_minutes=30,
        desks=1,
    )


# --- Slots with bookings ------------------------------------------------------------------------


def test_a_centre_s_slots_say_how_many_desks_are_free(django_assert_max_num_queries):
    centre = make_centre(desks=2, hours=[(weekday, time(9), time(11)) for weekday in range(7)])
    first, second = needing_biometrics(1), needing_biometrics(2)
    nine = local_slot(3, 9)
    book(first, centre, nine)
    book(second, centre, nine)
    book(needing_biometrics(3), centre, nine + timedelta(minutes=30))
    centre = BiometricCentre.objects.prefetch_related("opening_hours").get(pk=centre.pk)
    with django_assert_max_num_queries(1):
        slots = centre_slots(centre, local_slot(3, 0), local_slot(4, 0))
    assert [(slot.local_start.strftime("%H:%M"), slot.free_desks) for slot in slots] == [
        ("09:00", ()),
        ("09:30", (2,)),
        ("10:00", (1, 2)),
        ("10:30", (1, 2)),
    ]


# --- Asking for biometrics ----------------------------------------------------------------------


def test_a_decision_maker_asks_for_biometrics_and_the_applicant_is_told(
    make_user, django_capture_on_commit_callbacks
):
    decider = make_user(Role.DECISION_MAKER)
    application = sent(1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        biometrics_request(actor=decider, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.BIOMETRICS_NEEDED
    assert len(mail.outbox) == 1
    assert application.reference in mail.outbox[0].subject
    assert "/apply/" in str(mail.outbox[0].body)
    assert AuditEvent.objects.filter(action="applications.biometrics_requested").count() == 1

    with pytest.raises(Conflict, match="already been asked"):
        biometrics_request(actor=decider, application=application)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PARTNER_CASEWORKER, Role.AUDITOR])
def test_only_decision_makers_ask_for_biometrics(make_user, role):
    application = sent(1)
    with pytest.raises(PermissionDenied):
        biometrics_request(actor=make_user(role), application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


# --- Booking ------------------------------------------------------------------------------------


def test_booking_takes_the_lowest_free_desk_and_confirms_after_commit(
    django_capture_on_commit_callbacks,
):
    centre = make_centre(desks=2)
    first, second = needing_biometrics(1), needing_biometrics(2)
    mail.outbox.clear()
    slot = local_slot(5, 10)
    with django_capture_on_commit_callbacks(execute=True):
        one = book(first, centre, slot)
    with django_capture_on_commit_callbacks(execute=True):
        two = book(second, centre, slot)
    assert (one.desk, two.desk) == (1, 2)
    assert one.booked_by_label == f"applicant:{first.applicant_id}"
    assert len(mail.outbox) == 2
    body = str(mail.outbox[0].body)
    # On the centre's clocks, in the applicant's language (these applications ask for Arabic).
    with translation.override("ar"):
        expected = local_dates.date_and_time(slot.astimezone(BEIRUT).replace(tzinfo=None))
    assert expected in body
    assert "Visa centre beirut" in body
    assert "Rue Clemenceau" in body
    event = AuditEvent.objects.get(
        action="applications.appointment_booked", object_id=str(first.pk)
    )
    assert event.payload == {
        "appointment": one.pk,
        "centre": "beirut",
        "starts_at": slot.isoformat(),
        "desk": 1,
        "replaces": None,
    }


def test_withdrawing_gives_the_desk_back():
    centre = make_centre(desks=1)
    first, second = needing_biometrics(1), needing_biometrics(2)
    slot = local_slot(5, 10)
    appointment = book(first, centre, slot)
    application_withdraw(actor=applicant(first), application=first, reason="")
    appointment.refresh_from_db()
    assert appointment.cancelled_at is not None
    assert book(second, centre, slot).desk == 1


def test_a_slot_in_the_past_is_refused():
    centre = make_centre()
    refused(IN_THE_PAST, needing_biometrics(1), centre, local_slot(-1, 10))


def test_a_slot_sooner_than_the_minimum_notice_is_refused():
    centre = make_centre()
    soon = (timezone.now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    refused(TOO_SOON_12, needing_biometrics(1), centre, soon)


def test_a_slot_beyond_the_booking_window_is_refused():
    centre = make_centre()
    refused(TOO_FAR_28, needing_biometrics(1), centre, local_slot(30, 10))


def test_a_time_off_the_grid_is_refused():
    centre = make_centre()
    refused(NOT_A_SLOT, needing_biometrics(1), centre, local_slot(3, 10, 15))


def test_a_time_when_the_centre_is_closed_is_refused():
    centre = make_centre(hours=WORKING_DAYS)
    days = next(
        days for days in range(2, 10) if local_slot(days, 10).astimezone(BEIRUT).weekday() == 6
    )
    refused(NOT_A_SLOT, needing_biometrics(1), centre, local_slot(days, 10))
    friday = next(
        days for days in range(2, 10) if local_slot(days, 10).astimezone(BEIRUT).weekday() == 4
    )
    refused(NOT_A_SLOT, needing_biometrics(2), centre, local_slot(friday, 17))  # it has closed


def test_a_centre_not_taking_bookings_is_refused():
    centre = make_centre(is_active=False)
    refused(CENTRE_NOT_BOOKING, needing_biometrics(1), centre, local_slot(3, 10))


def test_a_full_slot_is_refused():
    centre = make_centre(desks=1)
    book(needing_biometrics(1), centre, local_slot(3, 10))
    refused(SLOT_FULL, needing_biometrics(2), centre, local_slot(3, 10))


def test_booking_is_refused_unless_biometrics_were_asked_for():
    centre = make_centre()
    refused(NOT_NEEDED, sent(1), centre, local_slot(3, 10))


def test_someone_else_s_application_cannot_be_booked():
    centre = make_centre()
    mine, theirs = needing_biometrics(1), needing_biometrics(2)
    with pytest.raises(NotFound):
        appointment_book(
            actor=applicant(mine), application=theirs, centre=centre, starts_at=local_slot(3, 10)
        )
    assert not BiometricAppointment.objects.exists()


def test_a_partner_with_the_applicant_s_consent_books_for_them(make_user, organisation):
    centre = make_centre()
    application = needing_biometrics(1)
    caseworker = make_partner_caseworker(make_user, organisation)
    with pytest.raises(NotFound):
        appointment_book(
            actor=caseworker, application=application, centre=centre, starts_at=local_slot(3, 10)
        )
    PartnerConsent.objects.create(
        application=application, organisation=organisation, recorded_by=caseworker, method="verbal"
    )
    appointment = appointment_book(
        actor=caseworker, application=application, centre=centre, starts_at=local_slot(3, 10)
    )
    assert appointment.booked_by_label == f"user:{caseworker.pk}"


def test_the_applicant_can_change_the_appointment_once():
    centre = make_centre(desks=1)
    application = needing_biometrics(1)
    first = book(application, centre, local_slot(3, 10))
    refused(SAME_APPOINTMENT, application, centre, local_slot(3, 10))

    second = book(application, centre, local_slot(4, 11))
    first.refresh_from_db()
    assert first.cancelled_at is not None  # kept, and marked
    assert first.cancelled_by_label == f"applicant:{application.applicant_id}"
    assert second.cancelled_at is None
    # The first appointment's desk is free again.
    assert book(needing_biometrics(2), centre, local_slot(3, 10)).desk == 1
    event = AuditEvent.objects.filter(action="applications.appointment_booked").order_by("pk")[1]
    assert event.payload["replaces"] == first.pk

    refused(NO_MORE_CHANGES, application, centre, local_slot(5, 12))
    assert BiometricAppointment.objects.get(application=application, cancelled_at=None) == second


def test_an_appointment_whose_time_has_passed_cannot_be_changed():
    centre = make_centre()
    application = needing_biometrics(1)
    BiometricAppointment.objects.create(
        application=application,
        centre=centre,
        starts_at=timezone.now() - timedelta(hours=1),
        desk=1,
        booked_by_label="applicant:1",
    )
    refused(ALREADY_STARTED, application, centre, local_slot(3, 10))


def test_when_the_desk_read_as_free_is_taken_meanwhile_the_next_one_is_used(monkeypatch):
    """The database constraint decides, not the read: a stale read of the desks (another
    booking committed after it) still cannot double-book."""
    monkeypatch.setattr(services, "taken_desks", lambda centre, starts: {})
    two_desks = make_centre("two", desks=2)
    book(needing_biometrics(1), two_desks, local_slot(3, 10))
    assert book(needing_biometrics(2), two_desks, local_slot(3, 10)).desk == 2

    one_desk = make_centre("one", desks=1)
    book(needing_biometrics(3), one_desk, local_slot(3, 10))
    refused(JUST_TAKEN, needing_biometrics(4), one_desk, local_slot(3, 10))
    assert BiometricAppointment.objects.filter(centre=one_desk).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not is_postgres(),
    reason="two writers racing is a PostgreSQL guarantee (SQLite has one writer)",
)
def test_two_applicants_booking_the_last_place_at_the_same_moment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    centre = make_centre(desks=2)
    slot = local_slot(3, 10)
    book(needing_biometrics(1), centre, slot)  # desk 1 gone: desk 2 is the last place
    racers = [needing_biometrics(2), needing_biometrics(3)]

    # Both read the desks before either writes, so both try desk 2 at once.
    read_both = threading.Barrier(2, timeout=10)
    real_taken_desks = services.taken_desks

    def taken_then_wait(*args: Any) -> Any:
        taken = real_taken_desks(*args)
        read_both.wait()
        return taken

    monkeypatch.setattr(services, "taken_desks", taken_then_wait)
    start = threading.Barrier(2, timeout=10)
    outcomes: dict[int, Any] = {}

    def race(application: Application) -> None:
        try:
            start.wait()
            outcomes[application.pk] = book(application, centre, slot)
        except BaseException as error:
            outcomes[application.pk] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(application,)) for application in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    booked = [value for value in outcomes.values() if isinstance(value, BiometricAppointment)]
    failed = [value for value in outcomes.values() if not isinstance(value, BiometricAppointment)]
    assert len(booked) == 1, outcomes
    assert len(failed) == 1
    assert isinstance(failed[0], Conflict)
    assert str(failed[0].message) == JUST_TAKEN
    assert booked[0].desk == 2
    live = BiometricAppointment.objects.filter(centre=centre, starts_at=slot, cancelled_at=None)
    assert sorted(live.values_list("desk", flat=True)) == [1, 2]
    loser = next(app for app in racers if app.pk != booked[0].application_id)
    assert not BiometricAppointment.objects.filter(application=loser).exists()


# --- Attendance ---------------------------------------------------------------------------------


def past_appointment(application: Application, centre: BiometricCentre) -> BiometricAppointment:
    """An appointment that started an hour ago (booked when that was allowed)."""
    return BiometricAppointment.objects.create(
        application=application,
        centre=centre,
        starts_at=timezone.now() - timedelta(hours=1),
        desk=1,
        booked_by_label=f"applicant:{application.applicant_id}",
    )


@pytest.mark.parametrize(
    ("attended", "reference", "message"),
    [
        (True, "", "Enter the enrolment reference from the biometrics system"),
        (True, "AB12", "The enrolment reference must be 6 to 40 letters, numbers and dashes"),
        (True, "AB12 34<script>", "6 to 40 letters, numbers and dashes"),
        (True, "A" * 41, "6 to 40 letters, numbers and dashes"),
        (False, "ENR-123456", "Leave the enrolment reference empty"),
    ],
)
def test_attendance_needs_a_proper_enrolment_reference_only_when_attended(
    make_user, attended, reference, message
):
    application = needing_biometrics(1)
    appointment = past_appointment(application, make_centre())
    with pytest.raises(DomainError, match=message):
        attendance_record(
            actor=make_user(Role.DECISION_MAKER),
            appointment=appointment,
            attended=attended,
            enrolment_reference=reference,
        )
    appointment.refresh_from_db()
    assert appointment.attendance == ""
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.BIOMETRICS_NEEDED


def test_attending_moves_the_application_on_and_is_recorded_once(make_user):
    officer = make_user(Role.DECISION_MAKER)
    application = needing_biometrics(1)
    appointment = past_appointment(application, make_centre())
    recorded = attendance_record(
        actor=officer, appointment=appointment, attended=True, enrolment_reference=" ENR-2027-0042 "
    )
    assert recorded.attendance == "attended"
    assert recorded.enrolment_reference == "ENR-2027-0042"
    assert recorded.attendance_recorded_by == officer
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHECKS_IN_PROGRESS
    assert application.status_changes.last().to_status == ApplicationStatus.CHECKS_IN_PROGRESS
    event = AuditEvent.objects.get(action="applications.attendance_recorded")
    assert event.payload == {"appointment": appointment.pk, "attendance": "attended"}

    with pytest.raises(Conflict, match="already been recorded"):
        attendance_record(
            actor=officer, appointment=appointment, attended=False, enrolment_reference=""
        )


def test_attendance_cannot_be_recorded_before_the_appointment(make_user):
    application = needing_biometrics(1)
    appointment = book(application, make_centre(), local_slot(3, 10))
    with pytest.raises(Conflict, match="before the appointment starts"):
        attendance_record(
            actor=make_user(Role.DECISION_MAKER),
            appointment=appointment,
            attended=True,
            enrolment_reference="ENR-123456",
        )
    appointment.refresh_from_db()
    assert appointment.attendance == ""


def test_after_a_missed_appointment_a_new_one_can_be_booked_and_it_is_not_a_change(make_user):
    centre = make_centre()
    application = needing_biometrics(1)
    missed = past_appointment(application, centre)
    attendance_record(
        actor=make_user(Role.DECISION_MAKER),
        appointment=missed,
        attended=False,
        enrolment_reference="",
    )
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.BIOMETRICS_NEEDED
    new = book(application, centre, local_slot(3, 10))
    missed.refresh_from_db()
    assert missed.attendance == "did_not_attend"  # kept as it was recorded
    assert missed.cancelled_at is not None
    # Still one change allowed.
    assert book(application, centre, local_slot(4, 10)).pk != new.pk


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PARTNER_CASEWORKER])
def test_only_caseworkers_record_attendance(make_user, role):
    appointment = past_appointment(needing_biometrics(1), make_centre())
    with pytest.raises(PermissionDenied):
        attendance_record(
            actor=make_user(role),
            appointment=appointment,
            attended=True,
            enrolment_reference="ENR-123456",
        )
    appointment.refresh_from_db()
    assert appointment.attendance == ""


# --- Reminders ----------------------------------------------------------------------------------


def appointment_at(application: Application, centre: BiometricCentre, starts_at: datetime) -> Any:
    return BiometricAppointment.objects.create(
        application=application, centre=centre, starts_at=starts_at, desk=1, booked_by_label="x"
    )


def test_reminders_are_sent_once_for_appointments_coming_soon(django_capture_on_commit_callbacks):
    from safepassage.applications.tasks import send_biometrics_reminders_task

    centre = make_centre(desks=5)
    soon = appointment_at(needing_biometrics(1), centre, timezone.now() + timedelta(hours=30))
    later = appointment_at(needing_biometrics(2), centre, timezone.now() + timedelta(days=5))
    changed = appointment_at(needing_biometrics(3), centre, timezone.now() + timedelta(hours=20))
    changed.cancelled_at = timezone.now()
    changed.save()
    mail.outbox.clear()

    first = send_biometrics_reminders_task.enqueue()
    second = send_biometrics_reminders_task.enqueue()

    assert first.return_value == {"sent": 1, "failed": 0}
    assert second.return_value == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
    # In the applicant's language (these applications ask for Arabic): "Reminder: ...".
    assert mail.outbox[0].subject.startswith("تذكير")
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminder_sent_at is not None
    assert later.reminder_sent_at is None
    assert AuditEvent.objects.filter(action="applications.appointment_reminder_sent").count() == 1


def test_a_failed_reminder_is_tried_again_on_the_next_run(monkeypatch):
    centre = make_centre()
    appointment = appointment_at(needing_biometrics(1), centre, timezone.now() + timedelta(hours=5))

    def gateway_down(*args: Any, **kwargs: Any) -> None:
        raise OSError("gateway down")

    monkeypatch.setattr(services, "send_appointment_message", gateway_down)
    assert appointment_reminders_send() == {"sent": 0, "failed": 1}
    appointment.refresh_from_db()
    assert appointment.reminder_sent_at is None
    monkeypatch.undo()
    assert appointment_reminders_send() == {"sent": 1, "failed": 0}


def test_the_command_sends_the_reminders_that_are_due(capsys):
    appointment_at(needing_biometrics(1), make_centre(), timezone.now() + timedelta(hours=5))
    call_command("send_biometrics_reminders")
    assert "Reminders sent: 1. Failed: 0." in capsys.readouterr().out
    call_command("send_biometrics_reminders")
    assert "Reminders sent: 0. Failed: 0." in capsys.readouterr().out


def test_booking_books_the_reminder_for_when_it_is_due(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks.backends.dummy import DummyBackend

    from safepassage.applications.tasks import send_biometrics_reminders_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = send_biometrics_reminders_task.get_backend()
    assert isinstance(backend, DummyBackend)
    backend.clear()
    centre = make_centre()
    far = local_slot(10, 10)
    with django_capture_on_commit_callbacks(execute=True):
        book(needing_biometrics(1), centre, far)
    reminders = [r for r in backend.results if r.task.name == "send_biometrics_reminders_task"]
    assert [r.task.run_after for r in reminders] == [far - timedelta(hours=48)]

    # Booked inside the reminder window, the confirmation is the reminder.
    backend.clear()
    near = (timezone.now() + timedelta(hours=20)).astimezone(BEIRUT)
    near = near.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(needing_biometrics(2), centre, near)
    assert appointment.reminder_sent_at is not None
    assert not [r for r in backend.results if r.task.name == "send_biometrics_reminders_task"]


# --- The applicant's pages ----------------------------------------------------------------------


def signed_in(application: Application) -> Client:
    client = Client()
    sign_in_by_email(client, application.applicant.contact)
    return client


def test_an_applicant_books_from_the_status_page(django_capture_on_commit_callbacks):
    centre = make_centre(desks=1, hours=[(weekday, time(9), time(11)) for weekday in range(7)])
    application = needing_biometrics(1)
    book(needing_biometrics(2), centre, local_slot(3, 9, 30))  # taken: not offered
    client = signed_in(application)
    base = f"/apply/application/{application.public_id}"

    status = text(client.get(f"{base}/status/"))
    assert "Your biometrics appointment" in status
    assert f"{base}/biometrics/" in client.get(f"{base}/status/").content.decode()

    page = client.get(f"{base}/biometrics/")
    assert page.status_code == 200
    assert "Visa centre beirut" in text(page)
    assert "Rue Clemenceau" in text(page)
    missing = client.post(f"{base}/biometrics/", {})
    assert errors(missing) == ["Choose a visa application centre"]
    chosen = client.post(f"{base}/biometrics/", {"centre": "beirut"})
    assert chosen["Location"] == f"{base}/biometrics/centre/beirut/"

    times = client.get(chosen["Location"])
    content = times.content.decode()
    nine = local_slot(3, 9)
    assert f'value="{nine:%Y-%m-%dT%H:%MZ}"' in content
    assert f'value="{nine + timedelta(minutes=30):%Y-%m-%dT%H:%MZ}"' not in content  # full
    assert "Times are local time in" in text(times)

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(chosen["Location"], {"slot": f"{nine:%Y-%m-%dT%H:%MZ}"})
    assert done.status_code == 302, errors(client.post(chosen["Location"], {}))
    assert done["Location"] == f"{base}/biometrics/booked/"
    confirmation = text(client.get(done["Location"]))
    assert "Your appointment is booked" in confirmation
    when = local_dates.date_and_time(nine.astimezone(BEIRUT).replace(tzinfo=None))
    assert when in confirmation

    status = text(client.get(f"{base}/status/"))
    assert when in status
    assert "Change your appointment" in status
    appointment = BiometricAppointment.objects.get(application=application)
    assert appointment.starts_at == nine


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        ("", "Choose a day and time for your appointment"),
        ("tomorrow at ten", NOT_A_SLOT),
        ("2020-01-01T10:00Z", IN_THE_PAST),
    ],
)
def test_a_bad_time_on_the_page_gets_a_clear_message_and_nothing_changes(slot, message):
    make_centre()
    application = needing_biometrics(1)
    client = signed_in(application)
    response = client.post(
        f"/apply/application/{application.public_id}/biometrics/centre/beirut/", {"slot": slot}
    )
    assert response.status_code == 400
    assert errors(response) == [message]
    assert not BiometricAppointment.objects.exists()


def test_the_booking_pages_work_in_arabic():
    make_centre()
    application = needing_biometrics(1)
    client = signed_in(application)
    client.cookies["safepassage_language"] = "ar"
    base = f"/apply/application/{application.public_id}"
    for url in [f"{base}/biometrics/", f"{base}/biometrics/centre/beirut/", f"{base}/status/"]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert 'dir="rtl"' in page.content.decode()
    times = client.get(f"{base}/biometrics/centre/beirut/").content.decode()
    with translation.override("ar"):
        heading = local_dates.long_date(local_slot(1, 10).astimezone(BEIRUT).date())
    assert heading.split()[1] in times  # the month, in Arabic


def test_the_booking_pages_are_not_offered_when_no_booking_is_needed():
    make_centre()
    application = sent(1)
    client = signed_in(application)
    base = f"/apply/application/{application.public_id}"
    assert "biometrics" not in client.get(f"{base}/status/").content.decode().split("timeline")[0]
    response = client.get(f"{base}/biometrics/")
    assert response.status_code == 302
    assert response["Location"] == f"{base}/status/"


def test_a_partner_books_through_the_same_pages(make_user, organisation, client_for):
    make_centre()
    application = needing_biometrics(1)
    caseworker = make_partner_caseworker(make_user, organisation)
    client = client_for(caseworker)
    base = f"/partner/application/{application.public_id}"
    assert client.get(f"{base}/biometrics/").status_code == 404  # no consent, nothing to see
    PartnerConsent.objects.create(
        application=application, organisation=organisation, recorded_by=caseworker, method="verbal"
    )
    assert client.get(f"{base}/biometrics/").status_code == 200
    slot = local_slot(3, 10)
    response = client.post(f"{base}/biometrics/centre/beirut/", {"slot": f"{slot:%Y-%m-%dT%H:%MZ}"})
    assert response["Location"] == f"{base}/biometrics/booked/"
    assert f"{base}/biometrics/" in client.get(f"{base}/status/").content.decode()
    assert BiometricAppointment.objects.get(application=application).starts_at == slot


def test_a_centre_that_stops_taking_bookings_says_so_on_the_page():
    centre = make_centre()
    application = needing_biometrics(1)
    client = signed_in(application)
    base = f"/apply/application/{application.public_id}"
    centre.is_active = False
    centre.save()
    response = client.get(f"{base}/biometrics/centre/beirut/")
    assert response["Location"] == f"{base}/biometrics/"
    posted = client.post(
        f"{base}/biometrics/centre/beirut/", {"slot": f"{local_slot(3, 10):%Y-%m-%dT%H:%MZ}"}
    )
    assert errors(posted) == [str(CENTRE_NOT_BOOKING)]
    assert not BiometricAppointment.objects.exists()


def test_the_change_link_goes_once_the_change_is_used():
    centre = make_centre()
    application = needing_biometrics(1)
    book(application, centre, local_slot(3, 10))
    book(application, centre, local_slot(4, 10))
    client = signed_in(application)
    status = text(client.get(f"/apply/application/{application.public_id}/status/"))
    assert "Change your appointment" not in status
    assert "You cannot change this appointment online any more" in status
    response = client.post(
        f"/apply/application/{application.public_id}/biometrics/centre/beirut/",
        {"slot": f"{local_slot(5, 10):%Y-%m-%dT%H:%MZ}"},
    )
    assert errors(response) == [str(NO_MORE_CHANGES)]


# --- The case view ------------------------------------------------------------------------------


def test_the_case_view_asks_for_biometrics_and_records_attendance(make_user, client_for):
    decider = make_user(Role.DECISION_MAKER)
    application = sent(1)
    client = client_for(decider)
    case_url = f"/applications/{application.public_id}/"
    assert "Ask for biometrics" in text(client.get(case_url))
    response = client.post(f"{case_url}biometrics/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.BIOMETRICS_NEEDED
    page = text(client.get(case_url))
    assert "Ask for biometrics" not in page
    assert "has not booked one yet" in page

    appointment = past_appointment(application, make_centre())
    attendance_url = f"{case_url}biometrics/{appointment.pk}/attendance/"
    bad = client.post(attendance_url, {"attended": "yes", "enrolment_reference": "x"})
    assert bad.status_code == 400
    assert errors(bad) == ["The enrolment reference must be 6 to 40 letters, numbers and dashes"]
    assert errors(client.post(attendance_url, {})) == ["Choose whether the applicant came"]
    appointment.refresh_from_db()
    assert appointment.attendance == ""

    good = client.post(attendance_url, {"attended": "yes", "enrolment_reference": "ENR-777777"})
    assert good.status_code == 302
    page = text(client.get(case_url))
    assert "ENR-777777" in page
    assert "Attended" in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHECKS_IN_PROGRESS


def test_without_the_permissions_the_panel_shows_no_actions(make_user, client_for):
    viewer = make_case_reader(make_user)
    application = needing_biometrics(1)
    appointment = past_appointment(application, make_centre())
    client = client_for(viewer)
    page = client.get(f"/applications/{application.public_id}/")
    assert page.status_code == 200
    assert 'data-testid="biometrics-panel"' in page.content.decode()
    assert "Record attendance" not in text(page)
    assert "Ask for biometrics" not in text(page)
    response = client.post(
        f"/applications/{application.public_id}/biometrics/{appointment.pk}/attendance/",
        {"attended": "no"},
    )
    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.attendance == ""


# --- The administrator's pages ------------------------------------------------------------------


def centre_form(**change: str) -> dict[str, str]:
    data = {
        "code": "erbil",
        "name": "Erbil visa centre",
        "city": "Erbil",
        "country": "IRQ",
        "address": "100m Street",
        "time_zone": "Asia/Baghdad",
        "slot_minutes": "20",
        "desks": "3",
        "is_active": "on",
    }
    for weekday in range(5):
        data[f"opens_{weekday}"] = "09:00"
        data[f"closes_{weekday}"] = "13:00"
        data[f"reopens_{weekday}"] = "14:00"
        data[f"recloses_{weekday}"] = "16:30"
    data.update(change)
    return data


def test_an_administrator_manages_centres_through_the_pages(admin_user, client_for):
    client = client_for(admin_user)
    home = client.get("/applications/centres/")
    assert home.status_code == 200
    assert "/applications/centres/" in text(client.get("/"))  # in the navigation

    added = client.post("/applications/centres/new/", centre_form())
    assert added.status_code == 302, errors(added)
    centre = BiometricCentre.objects.get(code="erbil")
    assert centre.opening_hours.count() == 10
    baghdad = ZoneInfo("Asia/Baghdad")
    book(needing_biometrics(1), centre, local_slot(weekday_ahead(3, baghdad), 9, 20, baghdad))
    rows = client.get("/applications/centres/").content.decode()
    assert "Erbil visa centre" in rows
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric" data-testid="upcoming">1</td>'
        in rows
    )

    edit_url = f"/applications/centres/{centre.pk}/"
    page = client.get(edit_url).content.decode()
    assert 'value="14:00"' in page
    changed = centre_form(opens_0="", closes_0="", reopens_0="", recloses_0="", desks="4")
    changed.pop("code")
    assert client.post(edit_url, changed).status_code == 302
    centre.refresh_from_db()
    assert centre.desks == 4
    assert not centre.opening_hours.filter(weekday=0).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"time_zone": "Erbil"},
            "Enter a time zone from the IANA list, like Africa/Nairobi or Asia/Beirut",
        ),
        ({"closes_2": ""}, "Enter the time the centre closes on Wednesday, or leave both empty"),
        ({"opens_1": "25:00"}, "Enter a time in 24-hour format, like 09:00 or 17:30"),
        ({"closes_1": "08:00"}, "On Tuesday, the closing time must be after the opening time"),
        ({"reopens_3": "12:00"}, "On Thursday, the opening periods overlap"),
        ({"desks": "0"}, "Enter a number of desks from 1 to 100"),
    ],
)
def test_bad_centre_details_on_the_page_get_a_clear_message(
    admin_user, client_for, change, message
):
    client = client_for(admin_user)
    response = client.post("/applications/centres/new/", centre_form(**change))
    assert response.status_code == 400
    assert message in errors(response)
    assert not BiometricCentre.objects.exists()


def test_only_administrators_see_the_centres_pages(make_user, client_for):
    client = client_for(make_user(Role.DECISION_MAKER))
    assert client.get("/applications/centres/").status_code == 403
    assert client.post("/applications/centres/new/", centre_form()).status_code == 403
    assert not BiometricCentre.objects.exists()
