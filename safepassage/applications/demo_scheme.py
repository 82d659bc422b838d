"""The demo visa scheme: two visa application centres with their hours, and a short, made-up
watch list, so that a new installation can book appointments and run security checks.

Idempotent: a centre that exists, or a watch list already loaded, is left alone.
"""

from __future__ import annotations

from datetime import time

from safepassage.applications.models import BiometricCentre, WatchList
from safepassage.applications.services.biometrics import centre_save
from safepassage.applications.services.security import watch_list_load
from safepassage.core.actors import Actor
from safepassage.core.models import User

WEEKDAYS = [(day, time(9, 0), time(16, 0)) for day in range(5)]  # Monday to Friday

DEMO_CENTRES = [
    {
        "code": "beirut-demo",
        "name": "Beirut visa application centre (demo)",
        "city": "Beirut",
        "country": "LBN",
        "address": "Made-up address: 1 Demo Street, Beirut",
        "time_zone": "Asia/Beirut",
        "slot_minutes": 20,
        "desks": 3,
    },
    {
        "code": "islamabad-demo",
        "name": "Islamabad visa application centre (demo)",
        "city": "Islamabad",
        "country": "PAK",
        "address": "Made-up address: 2 Demo Road, Islamabad",
        "time_zone": "Asia/Karachi",
        "slot_minutes": 30,
        "desks": 2,
    },
]

# Made-up people: no real person is, or should be taken to be, on this list.
DEMO_WATCH_LIST = (
    b"reference,family_name,given_names,date_of_birth,nationality\n"
    b"DEMO-0001,Examplov,Demo,1970-01-01,RUS\n"
    b"DEMO-0002,Placeholder,Test Person,1965,\n"
    b"DEMO-0003,Sampleton,Fictional,1980-06,GBR\n"
)


def demo_scheme_load(*, actor: Actor, administrator: User | None) -> int:
    created = 0
    for spec in DEMO_CENTRES:
        if not BiometricCentre.objects.filter(code=spec["code"]).exists():
            centre_save(actor=actor, hours=WEEKDAYS, **spec)  # type: ignore[arg-type]
            created += 1
    if administrator is not None and not WatchList.objects.exists():
        watch_list_load(
            actor=administrator, filename="demo-watch-list.csv", content=DEMO_WATCH_LIST
        )
        created += 1
    return created
