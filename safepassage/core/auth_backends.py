"""Permissions come from roles, and one query answers both "which roles" and "which permissions".

Every permission a person holds comes through a role (a group: core.roles); nobody is granted a
permission on their own, so the per-user permission query Django's ModelBackend makes on every
page always found nothing. This backend reads the user's roles with their permissions in one
query, kept on the user object for the request, and the header's list of roles reuses it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import QuerySet


class RoleBackend(ModelBackend):
    def _get_user_permissions(self, user_obj: Any) -> QuerySet[Permission]:
        return Permission.objects.none()

    def get_group_permissions(self, user_obj: Any, obj: object = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_group_permissions(user_obj, obj)
        return {
            f"{app_label}.{codename}"
            for _role, app_label, codename in user_obj.role_grants
            if codename is not None
        }
