"""Grant the people app's permissions (frozen copy; see 0002_roles)."""

from django.db import migrations

from safepassage.core.migrations import _roles

GRANTS = {
    "registration_officer": [
        "people.view_person",
        "people.record_identity",
        "people.resolve_match",
    ],
    "screening_officer": ["people.view_person"],
    "decision_maker": ["people.view_person"],
    "senior_caseworker": [
        "people.view_person",
        "people.record_identity",
        "people.resolve_match",
        "people.undo_merge",
    ],
    "safeguarding_lead": ["people.view_person"],
    "qa_reviewer": ["people.view_person"],
}


def grant(apps, schema_editor):
    _roles.ensure_permissions(apps)
    _roles.grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_policy_permissions"), ("people", "0001_people")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
