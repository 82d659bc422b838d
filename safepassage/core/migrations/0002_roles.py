"""The staff roles of DESIGN.md as groups, with the permissions each holds on this day.

A frozen copy: later migrations grant later permissions, so that this one always means what it
meant when it ran. core.roles.ROLE_PERMISSIONS is the current truth, and a test checks that the
migrated database agrees with it.
"""

from django.db import migrations

from safepassage.core.migrations import _roles

ROLE_PERMISSIONS = {
    "partner_caseworker": [],
    "registration_officer": [],
    "screening_officer": [],
    "interpreter": [],
    "decision_maker": [],
    "senior_caseworker": [],
    "safeguarding_lead": [],
    "qa_reviewer": [],
    "location_manager": ["core.view_staff"],
    "auditor": ["audit.view_audit_log", "audit.verify_audit_chain"],
    "administrator": [
        "core.manage_users",
        "core.manage_locations",
        "core.view_staff",
        "core.issue_api_tokens",
        "audit.view_audit_log",
        "audit.verify_audit_chain",
    ],
}


def create_roles(apps, schema_editor):
    _roles.ensure_permissions(apps)
    _roles.grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
