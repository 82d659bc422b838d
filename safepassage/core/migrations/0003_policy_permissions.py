"""Grant the policy gate's permissions (frozen copy; see 0002_roles)."""

from django.db import migrations

from safepassage.core.migrations import _roles

GRANTS = {
    "registration_officer": ["policy.check_action"],
    "screening_officer": ["policy.check_action"],
    "decision_maker": ["policy.check_action"],
    "senior_caseworker": ["policy.check_action", "policy.override_policy"],
    "safeguarding_lead": ["policy.check_action"],
    "qa_reviewer": ["policy.check_action"],
    "location_manager": ["policy.check_action"],
    "auditor": ["policy.check_action"],
    "administrator": ["policy.check_action"],
}


def grant(apps, schema_editor):
    _roles.ensure_permissions(apps)
    _roles.grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_roles"), ("policy", "0001_evaluations")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
