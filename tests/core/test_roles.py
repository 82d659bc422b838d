"""Roles: the groups and permissions the migrations made match the code's mapping."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from safepassage.core.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db

DESIGN_ROLES = {
    "partner_caseworker",
    "registration_officer",
    "screening_officer",
    "interpreter",
    "decision_maker",
    "senior_caseworker",
    "safeguarding_lead",
    "qa_reviewer",
    "location_manager",
    "auditor",
    "administrator",
}


def test_every_staff_role_of_the_design_is_a_group():
    assert set(Role.values) == DESIGN_ROLES
    assert set(Group.objects.values_list("name", flat=True)) >= DESIGN_ROLES


def test_migrated_permissions_match_the_mapping_in_code():
    for role, expected in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        granted = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert granted == expected, f"{role}: add a migration granting {expected - granted}"


def test_a_user_holds_exactly_their_roles_permissions(make_user):
    auditor = make_user(Role.AUDITOR)
    assert auditor.has_perm("audit.view_audit_log")
    assert not auditor.has_perm("core.manage_users")
