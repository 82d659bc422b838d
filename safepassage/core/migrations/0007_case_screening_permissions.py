"""Grant the permissions of arrival registration, asylum cases, screening interviews, the
interpreters' register and accreditations (frozen copy; see 0002_roles)."""

from django.db import migrations

from safepassage.core.migrations import _roles

GRANTS = {
    "registration_officer": ["cases.register_arrival", "cases.view_case"],
    "screening_officer": ["cases.view_case", "screening.conduct_interview"],
    "interpreter": ["screening.sign_interpreter_declaration"],
    "decision_maker": ["cases.view_case", "cases.route_case", "cases.close_case"],
    "senior_caseworker": ["cases.view_case", "cases.route_case", "cases.close_case"],
    "safeguarding_lead": ["cases.view_case"],
    "qa_reviewer": ["cases.view_case"],
    "location_manager": [
        "cases.view_case",
        "cases.allocate_work",
        "cases.waive_stage_separation",
        "screening.manage_interpreters",
        "workforce.manage_accreditations",
    ],
    "administrator": [
        "screening.manage_questionnaire",
        "screening.manage_interpreters",
        "workforce.manage_accreditations",
    ],
}


def grant(apps, schema_editor):
    _roles.ensure_permissions(apps)
    _roles.grant(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_visa_decision_permissions"),
        ("cases", "0001_initial"),
        ("screening", "0001_initial"),
        ("workforce", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
