"""Core records in the Django admin: read-only. Users and locations are managed on the staff
pages, through the services, so that every change is checked and audited."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.core.admin_base import ReadOnlyAdmin
from safepassage.core.models import ApiToken, Location, User

for model in (Group, TOTPDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    exclude = ["password"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "is_active"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "user", "expires_at", "revoked_at"]
    exclude = ["digest"]


@admin.register(Group)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ["name"]
