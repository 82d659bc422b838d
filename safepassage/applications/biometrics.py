"""Biometrics appointment slots: when a visa application centre can see someone.

A centre's opening hours are wall-clock times in its own time zone. Each opening period is cut
into equal lengths of ``slot_minutes`` from the time it opens; each start is a *slot*, and a slot
has one place per desk. A time that is not one of those starts is not a slot, whatever the
centre's hours.

Slots are worked out in local time and only then turned into instants, so a day on which the
clocks change keeps its 09:00 appointments at 09:00 on the centre's clocks; a local time that
does not exist that day (skipped by the clocks going forward) is not offered, and a local time
that happens twice (the clocks going back) is offered once, at its first occurrence.

The grid is a plain function of plain data (``grid_starts``); ``centre_slots`` adds the live
bookings, read in one query, to say how many desks are still free at each start.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from safepassage.applications.models import (
    Application,
    ApplicationStatus,
    BiometricAppointment,
    BiometricCentre,
)
from safepassage.core.actors import Actor
from safepassage.core.errors import NotFound
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm

SLOT_FORMAT = "%Y-%m-%dT%H:%MZ"

# Names zoneinfo knows that are not places: a centre's zone must say where it is.
_NOT_PLACES = frozenset({"localtime", "Factory"})


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_PLACES


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this system can use ("Africa/Nairobi")."""
    if name not in _zone_names():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def centre_zone(centre: BiometricCentre) -> ZoneInfo:
    return ZoneInfo(centre.time_zone)


@dataclass(frozen=True)
class Period:
    """One opening period of one weekday (Monday is 0), in the centre's wall-clock time."""

    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # an aware instant, in UTC
    local_start: datetime  # the same instant on the centre's clocks (aware, in its zone)
    free_desks: tuple[int, ...]  # desk numbers (1 to the centre's desks) still free, lowest first

    @property
    def key(self) -> str:
        """The slot as a form sends it back: its start in UTC, to the minute."""
        return self.starts_at.astimezone(UTC).strftime(SLOT_FORMAT)

    @property
    def is_free(self) -> bool:
        return bool(self.free_desks)

    @property
    def local_day(self) -> date:
        return self.local_start.date()


def _exists(naive: datetime, zone: ZoneInfo) -> datetime | None:
    """The wall time as an aware datetime in ``zone`` (its first occurrence when the clocks go
    back), or None if the clocks skip it that day."""
    aware = naive.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != naive:
        return None
    return aware


def day_starts(
    periods: Iterable[Period], zone: ZoneInfo, slot_minutes: int, day: date
) -> list[datetime]:
    """The slot starts of one local day, as aware datetimes in ``zone``, earliest first."""
    length = timedelta(minutes=slot_minutes)
    starts: set[datetime] = set()
    for period in periods:
        if period.weekday != day.weekday():
            continue
        wall = datetime.combine(day, period.opens)
        closes = datetime.combine(day, period.closes)
        while wall + length <= closes:
            aware = _exists(wall, zone)
            if aware is not None:
                starts.add(aware)
            wall += length
    return sorted(starts)


def grid_starts(
    periods: Sequence[Period],
    zone: ZoneInfo,
    slot_minutes: int,
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """Every slot start from ``start`` (included) to ``end`` (excluded), both aware, as UTC
    instants, earliest first."""
    if end <= start or not periods:
        return []
    first_day = start.astimezone(zone).date()
    last_day = end.astimezone(zone).date()
    starts: list[datetime] = []
    day = first_day
    while day <= last_day:
        for local in day_starts(periods, zone, slot_minutes, day):
            instant = local.astimezone(UTC)
            if start <= instant < end:
                starts.append(instant)
        day += timedelta(days=1)
    return starts


def is_slot_start(
    periods: Sequence[Period], zone: ZoneInfo, slot_minutes: int, instant: datetime
) -> bool:
    """Whether ``instant`` (aware) is a slot start on the centre's grid."""
    local_day = instant.astimezone(zone).date()
    return any(
        local.astimezone(UTC) == instant.astimezone(UTC)
        for local in day_starts(periods, zone, slot_minutes, local_day)
    )


def free_desks(desks: int, taken: Iterable[int]) -> tuple[int, ...]:
    """The desks (numbered from 1) not in ``taken``, lowest first."""
    busy = set(taken)
    return tuple(desk for desk in range(1, desks + 1) if desk not in busy)


# --- Reading the database -----------------------------------------------------------------------


def centre_periods(centre: BiometricCentre) -> list[Period]:
    """The centre's week of opening hours (uses a prefetched ``opening_hours`` when there is
    one)."""
    return [
        Period(weekday=hours.weekday, opens=hours.opens, closes=hours.closes)
        for hours in centre.opening_hours.all()
    ]


def live_bookings(centre: BiometricCentre) -> QuerySet[BiometricAppointment]:
    return BiometricAppointment.objects.filter(centre=centre, cancelled_at__isnull=True)


def taken_desks(centre: BiometricCentre, starts: Sequence[datetime]) -> dict[datetime, set[int]]:
    """The desks already booked at each of these starts: one query."""
    if not starts:
        return {}
    taken: dict[datetime, set[int]] = defaultdict(set)
    rows = live_bookings(centre).filter(starts_at__gte=min(starts), starts_at__lte=max(starts))
    for starts_at, desk in rows.values_list("starts_at", "desk"):
        taken[starts_at.astimezone(UTC)].add(desk)
    return taken


def centre_slots(centre: BiometricCentre, start: datetime, end: datetime) -> list[Slot]:
    """The centre's slots from ``start`` to ``end``, each with its free desks (full ones too:
    callers that offer a choice keep the free ones)."""
    zone = centre_zone(centre)
    starts = grid_starts(centre_periods(centre), zone, centre.slot_minutes, start, end)
    taken = taken_desks(centre, starts)
    return [
        Slot(
            starts_at=instant,
            local_start=instant.astimezone(zone),
            free_desks=free_desks(centre.desks, taken.get(instant, ())),
        )
        for instant in starts
    ]


def slots_by_day(slots: Iterable[Slot]) -> list[tuple[date, list[Slot]]]:
    """Slots grouped by the centre's local day, in order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(slot.local_day, []).append(slot)
    return list(days.items())


def active_centres() -> QuerySet[BiometricCentre]:
    """The centres taking bookings, as an applicant chooses among them."""
    return BiometricCentre.objects.filter(is_active=True)


# --- An application's appointments -------------------------------------------------------------


@dataclass(frozen=True)
class BookingState:
    """Where an application stands with its biometrics appointment."""

    appointment: BiometricAppointment | None  # the one that stands (not cancelled), if any
    earlier: list[BiometricAppointment]  # cancelled or replaced ones, earliest first
    rebooks_used: int
    rebooks_allowed: int
    needed: bool  # the application is waiting for biometrics

    @property
    def is_pending(self) -> bool:
        """An appointment is booked and its attendance not yet recorded."""
        return self.appointment is not None and not self.appointment.attendance

    @property
    def can_book(self) -> bool:
        return self.needed and not self.is_pending

    def can_rebook(self, now: datetime) -> bool:
        return (
            self.needed
            and self.appointment is not None
            and self.is_pending
            and self.appointment.starts_at > now
            and self.rebooks_used < self.rebooks_allowed
        )


def rebooks_used(appointments: Iterable[BiometricAppointment]) -> int:
    """Changes the applicant has made: appointments cancelled by a later booking. (An
    appointment closed because its attendance was recorded is not a change.)"""
    return sum(1 for item in appointments if not item.is_live and not item.attendance)


def booking_state(application: Application) -> BookingState:
    """One query: the application's appointments with their centres. Changes allowed are
    settings.BIOMETRICS_REBOOKS."""
    appointments = list(
        BiometricAppointment.objects.filter(application=application)
        .select_related("centre", "attendance_recorded_by")
        .order_by("booked_at", "pk")
    )
    live = next((item for item in appointments if item.is_live), None)
    return BookingState(
        appointment=live,
        earlier=[item for item in appointments if not item.is_live],
        rebooks_used=rebooks_used(appointments),
        rebooks_allowed=settings.BIOMETRICS_REBOOKS,
        needed=application.status == ApplicationStatus.BIOMETRICS_NEEDED,
    )


# --- Centres, as administrators manage them -----------------------------------------------------


def centres_for_administration(*, actor: Actor) -> QuerySet[BiometricCentre]:
    """Every centre, with how many live appointments it has still to come."""
    require_permission(actor, Perm.MANAGE_VISA_SCHEME)
    return BiometricCentre.objects.annotate(
        upcoming=Count(
            "appointments",
            filter=Q(
                appointments__cancelled_at__isnull=True,
                appointments__starts_at__gte=timezone.now(),
            ),
        )
    ).order_by("country", "city", "name")


def centre_for_administration(*, actor: Actor, centre_id: int) -> BiometricCentre:
    require_permission(actor, Perm.MANAGE_VISA_SCHEME)
    centre = BiometricCentre.objects.prefetch_related("opening_hours").filter(pk=centre_id).first()
    if centre is None:
        raise NotFound()
    return centre
