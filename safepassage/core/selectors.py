"""Every read of the core app's records, scoped to what the actor may see."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from safepassage.audit.services import record_read
from safepassage.core.actors import Actor, staff_user
from safepassage.core.errors import NotFound
from safepassage.core.models import ApiToken, Location, User
from safepassage.core.permissions import has_permission, require_permission
from safepassage.core.roles import Perm


def _visible_users(actor: Actor) -> QuerySet[User]:
    users = User.objects.prefetch_related("groups", "locations")
    if has_permission(actor, Perm.MANAGE_USERS):
        return users
    require_permission(actor, Perm.VIEW_STAFF)
    user = staff_user(actor)
    if user is None:
        return users
    return users.filter(locations__in=user.locations.all()).distinct()


def user_list(
    *,
    actor: Actor,
    search: str = "",
    role: str = "",
    location: Location | None = None,
    status: str = "active",
) -> QuerySet[User]:
    users = _visible_users(actor)
    if search:
        users = users.filter(
            Q(full_name__icontains=search)
            | Q(username__icontains=search)
            | Q(email__icontains=search)
        )
    if role:
        users = users.filter(groups__name=role)
    if location is not None:
        users = users.filter(locations=location)
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "deactivated":
        users = users.filter(is_active=False)
    return users.distinct().order_by("full_name", "username")


def user_get(*, actor: Actor, user_id: int) -> User:
    """One user's account, for display: the read is recorded in the access log."""
    user = _visible_users(actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    record_read(actor=actor, target=user, purpose="staff_account")
    return user


def location_list(*, actor: Actor, include_inactive: bool = False) -> QuerySet[Location]:
    """Locations are not personal data: any signed-in member of staff may list them."""
    locations = Location.objects.all()
    if not include_inactive:
        locations = locations.filter(is_active=True)
    return locations.order_by("name")


def location_get(*, actor: Actor, location_id: int) -> Location:
    location = Location.objects.filter(pk=location_id).first()
    if location is None:
        raise NotFound()
    return location


def location_staff_counts(*, actor: Actor) -> dict[int, int]:
    require_permission(actor, Perm.MANAGE_LOCATIONS)
    counts: dict[int, int] = {}
    for location_id in User.objects.filter(is_active=True).values_list("locations", flat=True):
        if location_id is not None:
            counts[location_id] = counts.get(location_id, 0) + 1
    return counts


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    require_permission(actor, Perm.ISSUE_API_TOKENS)
    return ApiToken.objects.select_related("user").order_by("-created_at")


def api_token_get(*, actor: Actor, token_id: int) -> ApiToken:
    token = api_token_list(actor=actor).filter(pk=token_id).first()
    if token is None:
        raise NotFound()
    return token


def account_is_locked(*, user: User) -> bool:
    """Whether django-axes is refusing this account after repeated failed sign-ins."""
    return AccessAttempt.objects.filter(
        username=user.username,
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    ).exists()
