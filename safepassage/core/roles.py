"""Staff roles, from the table in DESIGN.md, and the permissions each role holds.

Roles are Django groups. Each action has one named permission ("app_label.codename"), checked in
the view and again in the service. The groups and their permissions are created by migrations
(core/migrations/0002_roles.py and later ones), which keep a frozen copy of the mapping of their
day; ``ROLE_PERMISSIONS`` here is the current truth, and a test fails when the database and this
mapping disagree, so a new permission always comes with its migration.

The applicant is not a staff role: the applicant portal has no staff accounts.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTNER_CASEWORKER = "partner_caseworker", _("Partner caseworker")
    REGISTRATION_OFFICER = "registration_officer", _("Registration officer")
    SCREENING_OFFICER = "screening_officer", _("Screening officer")
    INTERPRETER = "interpreter", _("Interpreter")
    DECISION_MAKER = "decision_maker", _("Decision maker")
    SENIOR_CASEWORKER = "senior_caseworker", _("Senior caseworker")
    SAFEGUARDING_LEAD = "safeguarding_lead", _("Safeguarding lead")
    QA_REVIEWER = "qa_reviewer", _("Quality assurance reviewer")
    LOCATION_MANAGER = "location_manager", _("Location manager")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("Administrator")


ROLE_DESCRIPTIONS = {
    Role.PARTNER_CASEWORKER: _(
        "Helps applicants apply, with their recorded consent; sees only those applications."
    ),
    Role.REGISTRATION_OFFICER: _(
        "Registers arrivals, records identity and resolves identity matches."
    ),
    Role.SCREENING_OFFICER: _(
        "Conducts screening interviews, holding the accreditation each interview needs."
    ),
    Role.INTERPRETER: _(
        "Is recorded on the interview and makes the interpreter declaration; never records answers."
    ),
    Role.DECISION_MAKER: _(
        "Decides visa applications and routing; every consequential action passes the policy gate."
    ),
    Role.SENIOR_CASEWORKER: _("Approves policy overrides and second-pair-of-eyes decisions."),
    Role.SAFEGUARDING_LEAD: _(
        "Handles vulnerability referrals: modern slavery, torture, child protection and age."
    ),
    Role.QA_REVIEWER: _(
        "Reviews sampled work against the rubric, gives feedback, sends work back."
    ),
    Role.LOCATION_MANAGER: _(
        "Sees workload, backlog and welfare limits for a location, and allocates work."
    ),
    Role.AUDITOR: _(
        "Read-only: statistics, quality results and audit log verification, without names."
    ),
    Role.ADMINISTRATOR: _("Manages users, locations, questionnaire versions and rule packs."),
}


class Perm:
    """Every permission the service checks, by the name has_perm() expects."""

    MANAGE_USERS = "core.manage_users"
    MANAGE_LOCATIONS = "core.manage_locations"
    VIEW_STAFF = "core.view_staff"
    ISSUE_API_TOKENS = "core.issue_api_tokens"
    VIEW_AUDIT_LOG = "audit.view_audit_log"
    VERIFY_AUDIT_CHAIN = "audit.verify_audit_chain"
    VIEW_PERSON = "people.view_person"
    RECORD_IDENTITY = "people.record_identity"
    RESOLVE_MATCH = "people.resolve_match"
    UNDO_MERGE = "people.undo_merge"
    CHECK_ACTION = "policy.check_action"
    OVERRIDE_POLICY = "policy.override_policy"
    HELP_APPLICANTS = "applications.help_applicants"
    MANAGE_PARTNERS = "applications.manage_partners"
    VIEW_APPLICATION = "applications.view_application"
    DECIDE_APPLICATION = "applications.decide_application"
    RECORD_BIOMETRICS = "applications.record_biometrics"
    MANAGE_VISA_SCHEME = "applications.manage_visa_scheme"
    FIND_GRANT = "applications.find_grant"
    VIEW_VISA_FIGURES = "applications.view_visa_figures"
    REGISTER_ARRIVAL = "cases.register_arrival"
    VIEW_CASE = "cases.view_case"
    ALLOCATE_WORK = "cases.allocate_work"
    WAIVE_STAGE_SEPARATION = "cases.waive_stage_separation"
    ROUTE_CASE = "cases.route_case"
    CLOSE_CASE = "cases.close_case"
    CONDUCT_INTERVIEW = "screening.conduct_interview"
    MANAGE_QUESTIONNAIRE = "screening.manage_questionnaire"
    MANAGE_INTERPRETERS = "screening.manage_interpreters"
    SIGN_INTERPRETER_DECLARATION = "screening.sign_interpreter_declaration"
    MANAGE_ACCREDITATIONS = "workforce.manage_accreditations"


ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.PARTNER_CASEWORKER: {Perm.HELP_APPLICANTS},
    Role.REGISTRATION_OFFICER: {
        Perm.CHECK_ACTION,
        Perm.VIEW_PERSON,
        Perm.RECORD_IDENTITY,
        Perm.RESOLVE_MATCH,
        Perm.FIND_GRANT,
        Perm.REGISTER_ARRIVAL,
        Perm.VIEW_CASE,
    },
    Role.SCREENING_OFFICER: {
        Perm.CHECK_ACTION,
        Perm.VIEW_PERSON,
        Perm.VIEW_CASE,
        Perm.CONDUCT_INTERVIEW,
    },
    Role.INTERPRETER: {Perm.SIGN_INTERPRETER_DECLARATION},
    Role.DECISION_MAKER: {
        Perm.CHECK_ACTION,
        Perm.VIEW_PERSON,
        Perm.RECORD_IDENTITY,
        Perm.RESOLVE_MATCH,
        Perm.VIEW_APPLICATION,
        Perm.DECIDE_APPLICATION,
        Perm.RECORD_BIOMETRICS,
        Perm.FIND_GRANT,
        Perm.VIEW_CASE,
        Perm.ROUTE_CASE,
        Perm.CLOSE_CASE,
    },
    Role.SENIOR_CASEWORKER: {
        Perm.CHECK_ACTION,
        Perm.OVERRIDE_POLICY,
        Perm.VIEW_PERSON,
        Perm.RECORD_IDENTITY,
        Perm.RESOLVE_MATCH,
        Perm.UNDO_MERGE,
        Perm.VIEW_APPLICATION,
        Perm.DECIDE_APPLICATION,
        Perm.RECORD_BIOMETRICS,
        Perm.FIND_GRANT,
        Perm.VIEW_VISA_FIGURES,
        Perm.VIEW_CASE,
        Perm.ROUTE_CASE,
        Perm.CLOSE_CASE,
    },
    Role.SAFEGUARDING_LEAD: {
        Perm.CHECK_ACTION,
        Perm.VIEW_PERSON,
        Perm.VIEW_CASE,
    },
    Role.QA_REVIEWER: {
        Perm.CHECK_ACTION,
        Perm.VIEW_PERSON,
        Perm.VIEW_CASE,
    },
    Role.LOCATION_MANAGER: {
        Perm.VIEW_STAFF,
        Perm.CHECK_ACTION,
        Perm.VIEW_VISA_FIGURES,
        Perm.VIEW_CASE,
        Perm.ALLOCATE_WORK,
        Perm.WAIVE_STAGE_SEPARATION,
        Perm.MANAGE_INTERPRETERS,
        Perm.MANAGE_ACCREDITATIONS,
    },
    Role.AUDITOR: {
        Perm.VIEW_AUDIT_LOG,
        Perm.VERIFY_AUDIT_CHAIN,
        Perm.CHECK_ACTION,
        Perm.VIEW_VISA_FIGURES,
    },
    Role.ADMINISTRATOR: {
        Perm.MANAGE_USERS,
        Perm.MANAGE_LOCATIONS,
        Perm.VIEW_STAFF,
        Perm.ISSUE_API_TOKENS,
        Perm.MANAGE_PARTNERS,
        Perm.MANAGE_VISA_SCHEME,
        Perm.VIEW_VISA_FIGURES,
        Perm.VIEW_AUDIT_LOG,
        Perm.VERIFY_AUDIT_CHAIN,
        Perm.CHECK_ACTION,
        Perm.MANAGE_QUESTIONNAIRE,
        Perm.MANAGE_INTERPRETERS,
        Perm.MANAGE_ACCREDITATIONS,
    },
}

# Roles whose holders work at national level rather than at one place; they still belong to at
# least one location (their office), but their reads are not limited to it.
NATIONAL_ROLES = frozenset({Role.AUDITOR, Role.ADMINISTRATOR})


def role_label(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code
