"""The staff roles of DESIGN.md as groups, with the permissions each holds on this day.

A frozen copy: later migrations grant later permissions, so that this one always means what it
meant when it ran. core.roles.ROLE_PERMISSIONS is the current truth, and a test checks that the
migrated database agrees with it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def ensure_permissions(apps):
    """Django makes permissions after all migrations; roles need them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, role_permissions):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, permissions in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=role)
        for name in permissions:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def create_roles(apps, schema_editor):
    ensure_permissions(apps)
    grant(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("audit", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
