"""Who is acting. A service always names its actor, so every change is attributable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    from safepassage.core.models import User


@dataclass(frozen=True)
class SystemActor:
    """The service itself: a scheduled task or an operator's management command.

    It holds every permission because it only ever runs code we wrote for it, and every event it
    causes is recorded under its name (for example ``system:seed_demo``).
    """

    name: str
    pk: None = None
    is_active: bool = True
    is_authenticated: bool = True

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True

    def __str__(self) -> str:
        return f"system:{self.name}"


@dataclass(frozen=True)
class ApplicantActor:
    """Someone applying in the public portal: they proved they hold a contact address with a
    one-time code. They hold no staff permission; services check ownership of the application
    instead."""

    applicant_id: int
    pk: None = None
    is_active: bool = True
    is_authenticated: bool = True

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def __str__(self) -> str:
        return f"applicant:{self.applicant_id}"


Actor = Union["User", SystemActor, ApplicantActor]


def actor_label(actor: Actor | None) -> str:
    """A label that identifies the actor without personal data: 'user:42' or 'system:…'."""
    if actor is None:
        return "anonymous"
    if isinstance(actor, SystemActor | ApplicantActor):
        return str(actor)
    return f"user:{actor.pk}"


def staff_user(actor: Actor | None) -> User | None:
    """The member of staff behind the actor, or None for the service itself or an applicant:
    what a 'recorded by' foreign key to a user holds."""
    from safepassage.core.models import User

    return actor if isinstance(actor, User) else None


def request_actor(request: object) -> User:
    """The signed-in member of staff making this request (the edges have already required one)."""
    from safepassage.core.errors import PermissionDenied
    from safepassage.core.models import User

    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied()
    return user


def is_two_factor_verified(user: object) -> bool:
    """True once django-otp has seen this session's second factor."""
    return bool(getattr(user, "is_verified", lambda: False)())


def human(actor: Actor, message: object = None) -> User:
    """The actor, who must be a person: some decisions are never made by a script."""
    from safepassage.core.errors import PermissionDenied

    if isinstance(actor, SystemActor | ApplicantActor):
        raise PermissionDenied(message)
    return actor
