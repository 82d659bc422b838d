"""Grant the permissions of visa checks, biometrics, decisions and figures (frozen copy; see
0002_roles)."""

from django.db import migrations

from safepassage.core.migrations import _roles

GRANTS = {
    "registration_officer": ["applications.find_grant"],
    "decision_maker": [
        "people.record_identity",
        "people.resolve_match",
        "applications.decide_application",
        "applications.record_biometrics",
        "applications.find_grant",
    ],
    "senior_caseworker": [
        "applications.decide_application",
        "applications.record_biometrics",
        "applications.find_grant",
        "applications.view_visa_figures",
    ],
    "location_manager": ["applications.view_visa_figures"],
    "auditor": ["applications.view_visa_figures"],
    "administrator": ["applications.manage_visa_scheme", "applications.view_visa_figures"],
}


def grant(apps, schema_editor):
    _roles.ensure_permissions(apps)
    _roles.grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_application_permissions"),
        ("applications", "0002_checks_biometrics_decisions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
