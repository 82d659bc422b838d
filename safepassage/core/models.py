"""The shared kernel's data: staff users, the locations they work at, and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from safepassage.core.roles import Role, role_label


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        abstract = True


class LocationKind(models.TextChoices):
    SHORT_TERM_HOLDING = "short_term_holding", _("Short-term holding facility")
    INTAKE_UNIT = "intake_unit", _("Asylum intake and screening unit")
    PORT = "port", _("Port of arrival")
    RECEPTION = "reception", _("Reception centre")
    OFFICE = "office", _("Office")


class Location(TimeStampedModel):
    """A place where casework is done. Never deleted: deactivated, with history."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("type"), max_length=32, choices=LocationKind.choices)
    region = models.CharField(_("region"), max_length=80, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        default_permissions = ()
        permissions = [("manage_locations", "Can create, change and deactivate locations")]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="location_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff (or of a partner organisation). Applicants never have one.

    Roles are Django groups (core.roles). Users are never deleted: they are deactivated, which
    keeps every record they touched attributable.
    """

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("full name"), max_length=150)
    locations = models.ManyToManyField(Location, related_name="staff", blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["full_name", "username"]
        default_permissions = ()
        permissions = [
            ("manage_users", "Can create staff users, assign roles and locations, deactivate"),
            ("view_staff", "Can see staff at their own locations"),
            ("issue_api_tokens", "Can issue and revoke API tokens"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), name="user_email_unique_ci", condition=~models.Q(email="")
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.username

    @cached_property
    def role_grants(self) -> list[tuple[str, str | None, str | None]]:
        """(role, app label, permission codename) for each permission of each of the user's
        roles: one query, kept for the life of this object (core.auth_backends)."""
        return list(
            Group.objects.filter(user=self).values_list(
                "name", "permissions__content_type__app_label", "permissions__codename"
            )
        )

    @property
    def role_codes(self) -> list[str]:
        """The user's roles in the order of the DESIGN.md table."""
        held = {role for role, _app_label, _codename in self.role_grants}
        return [role.value for role in Role if role.value in held]

    @property
    def role_labels(self) -> list[str]:
        return [role_label(code) for code in self.role_codes]

    def has_role(self, role: str) -> bool:
        return role in self.role_codes


class ApiToken(models.Model):
    """A bearer token for a partner system or a script. Only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=16, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


def _forget_role_grants(sender: object, instance: object, **kwargs: object) -> None:
    """A change of roles is seen at once by the object it was made through, as Django's own
    permission cache is cleared on a fresh fetch."""
    if isinstance(instance, User):
        for cache in ("role_grants", "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
            instance.__dict__.pop(cache, None)


models.signals.m2m_changed.connect(_forget_role_grants, sender=User.groups.through)
