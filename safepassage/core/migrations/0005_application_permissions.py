"""Grant the applications app's permissions (frozen copy; see 0002_roles)."""

from django.db import migrations

from safepassage.core.migrations import _roles

GRANTS = {
    "partner_caseworker": ["applications.help_applicants"],
    "decision_maker": ["applications.view_application"],
    "senior_caseworker": ["applications.view_application"],
    "administrator": ["applications.manage_partners"],
}


def grant(apps, schema_editor):
    _roles.ensure_permissions(apps)
    _roles.grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_people_permissions"),
        ("applications", "0001_applications"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
