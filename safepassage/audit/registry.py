"""The one register of audit event codes.

Each app declares its events in its own ``events.py`` with ``register()``; no free-text event
names appear anywhere else. An unknown code is a programming error and fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ROUTINE = "routine"  # ordinary casework
    SIGNIFICANT = "significant"  # consequential for a person, or a change of access
    SECURITY = "security"  # sign-in, credentials, the audit trail itself


@dataclass(frozen=True)
class EventType:
    code: str
    description: str
    level: Level

    def __str__(self) -> str:
        return self.code


_REGISTRY: dict[str, EventType] = {}


def register(code: str, description: str, level: Level = Level.ROUTINE) -> EventType:
    app, _, name = code.partition(".")
    if not app or not name:
        raise ValueError(f"audit event codes look like 'app.noun_verb', not {code!r}")
    existing = _REGISTRY.get(code)
    if existing is not None and existing != EventType(code, description, level):
        raise ValueError(f"audit event {code!r} is registered twice with different meanings")
    event = EventType(code, description, level)
    _REGISTRY[code] = event
    return event


def lookup(code: str) -> EventType:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise LookupError(f"unregistered audit event {code!r}") from None


def all_event_types() -> list[EventType]:
    return sorted(_REGISTRY.values(), key=lambda event: event.code)
