"""Staff accounts: the services that create, change and deactivate them."""

from __future__ import annotations

import pytest
from django.core import mail

from safepassage.audit.models import AuditEvent
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.models import User
from safepassage.core.roles import Role
from safepassage.core.services.users import (
    user_create,
    user_deactivate,
    user_reactivate,
    user_update,
)
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def _create(actor, **overrides):
    values = {
        "username": "a.yusuf",
        "full_name": "  Amina   Yusuf ",
        "email": "amina@example.org",
        "roles": [Role.SCREENING_OFFICER],
        "locations": [LocationFactory(code="manston", name="Manston")],
    }
    values.update(overrides)
    return user_create(actor=actor, **values)


def test_create_user_assigns_roles_and_locations_audits_and_emails_after_commit(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = _create(admin_user)

    assert user.full_name == "Amina Yusuf"
    assert user.role_codes == [Role.SCREENING_OFFICER]
    assert [location.code for location in user.locations.all()] == ["manston"]
    assert not user.has_usable_password()
    event = AuditEvent.objects.filter(action="core.user_created").get()
    assert event.actor_id == admin_user.pk
    assert event.object_id == str(user.pk)
    assert event.payload == {
        "username": "a.yusuf",
        "roles": ["screening_officer"],
        "locations": ["manston"],
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "/account/set-password/" in mail.outbox[0].body
    assert "a.yusuf" in mail.outbox[0].body


def test_no_email_is_sent_when_the_transaction_rolls_back(
    admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _create(admin_user)
    assert len(callbacks) == 1  # waiting for commit, not sent inside the transaction
    assert mail.outbox == []


def test_a_role_without_permission_is_refused_and_nothing_changes(make_user):
    officer = make_user(Role.SCREENING_OFFICER)
    before = User.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        _create(officer)
    assert str(refused.value.message) == "You do not have permission to do this."
    assert User.objects.count() == before
    assert not AuditEvent.objects.filter(action="core.user_created").exists()


def test_a_deactivated_administrator_cannot_create_users(make_user):
    admin = make_user(Role.ADMINISTRATOR, is_active=False)
    with pytest.raises(PermissionDenied):
        _create(admin)


def test_every_problem_is_reported_at_once_and_nothing_changes(admin_user):
    before = User.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        _create(
            admin_user,
            username="A",
            full_name="   ",
            email="not-an-email",
            roles=[],
            locations=[],
        )
    fields = refused.value.field_errors()
    assert fields["username"] == [
        "Username must be 3 to 60 characters: lower-case letters, numbers, dots, hyphens or "
        "underscores"
    ]
    assert fields["full_name"] == ["Enter the person's full name"]
    assert fields["email"] == [
        "Enter an email address in the correct format, like name@example.org"
    ]
    assert fields["roles"] == ["Choose at least one role"]
    assert fields["locations"] == ["Choose at least one location"]
    assert User.objects.count() == before


def test_duplicate_username_and_email_are_refused_case_insensitively(admin_user):
    _create(admin_user)
    with pytest.raises(ValidationFailed) as refused:
        _create(admin_user, username="A.Yusuf", email="AMINA@example.org")
    fields = refused.value.field_errors()
    assert fields["username"] == ["This username is already taken"]
    assert fields["email"] == ["Another account already uses this email address"]
    assert User.objects.filter(username="a.yusuf").count() == 1


def test_unknown_role_is_refused(admin_user):
    with pytest.raises(ValidationFailed) as refused:
        _create(admin_user, roles=["superhero"])
    assert refused.value.field_errors()["roles"] == ["Choose roles from the list"]


@pytest.mark.parametrize("exclusive", [Role.INTERPRETER, Role.PARTNER_CASEWORKER])
def test_interpreters_and_partners_cannot_hold_another_role(admin_user, exclusive):
    with pytest.raises(ValidationFailed) as refused:
        _create(admin_user, roles=[exclusive, Role.SCREENING_OFFICER])
    assert refused.value.field_errors()["roles"] == [
        "A partner caseworker or interpreter account cannot hold any other role"
    ]


def test_inactive_location_is_refused(admin_user):
    closed = LocationFactory(is_active=False)
    with pytest.raises(ValidationFailed) as refused:
        _create(admin_user, locations=[closed])
    assert refused.value.field_errors()["locations"] == ["Choose only active locations"]


def test_update_records_the_diff_and_saves_only_changes(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    dover = LocationFactory(code="dover", name="Dover")
    changed = user_update(
        actor=admin_user,
        user=user,
        full_name=user.full_name,
        email=user.email,
        roles=[Role.SCREENING_OFFICER, Role.REGISTRATION_OFFICER],
        locations=[dover],
    )
    assert changed["roles"] == {
        "from": ["screening_officer"],
        "to": ["registration_officer", "screening_officer"],
    }
    assert changed["locations"]["to"] == ["dover"]
    assert "full_name" not in changed
    event = AuditEvent.objects.filter(action="core.user_updated").get()
    assert event.payload["roles"]["to"] == ["registration_officer", "screening_officer"]


def test_update_with_no_change_writes_nothing(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    changed = user_update(
        actor=admin_user,
        user=user,
        full_name=user.full_name,
        email=user.email,
        roles=user.role_codes,
        locations=list(user.locations.all()),
    )
    assert changed == {}
    assert not AuditEvent.objects.filter(action="core.user_updated").exists()


def test_the_last_administrator_cannot_lose_the_role(admin_user):
    with pytest.raises(ValidationFailed) as refused:
        user_update(
            actor=admin_user,
            user=admin_user,
            full_name=admin_user.full_name,
            email=admin_user.email,
            roles=[Role.AUDITOR],
            locations=list(admin_user.locations.all()),
        )
    assert "only active administrator" in str(refused.value.message)
    admin_user.refresh_from_db()
    assert admin_user.role_codes == [Role.ADMINISTRATOR]


def test_deactivate_keeps_the_account_and_stops_sign_in(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    user_deactivate(actor=admin_user, user=user, reason="Left the department")
    user.refresh_from_db()
    assert user.is_active is False
    assert user.deactivated_at is not None
    assert User.objects.filter(pk=user.pk).exists()
    assert AuditEvent.objects.get(action="core.user_deactivated").payload == {
        "reason": "Left the department"
    }


def test_deactivate_needs_a_reason_and_changes_nothing_without_one(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    with pytest.raises(ValidationFailed) as refused:
        user_deactivate(actor=admin_user, user=user, reason="  ")
    assert refused.value.field_errors() == {
        "reason": ["Give a reason for deactivating this account"]
    }
    user.refresh_from_db()
    assert user.is_active


def test_you_cannot_deactivate_yourself(admin_user, make_user):
    make_user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationFailed) as refused:
        user_deactivate(actor=admin_user, user=admin_user, reason="testing myself")
    assert str(refused.value.message) == "You cannot deactivate your own account"


def test_deactivating_twice_is_a_conflict_not_a_silent_success(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    user_deactivate(actor=admin_user, user=user, reason="Left the department")
    with pytest.raises(Conflict):
        user_deactivate(actor=admin_user, user=user, reason="Left the department")
    assert AuditEvent.objects.filter(action="core.user_deactivated").count() == 1


def test_reactivate(admin_user, make_user):
    user = make_user(Role.SCREENING_OFFICER)
    user_deactivate(actor=admin_user, user=user, reason="Long-term leave")
    user_reactivate(actor=admin_user, user=user, reason="Back from leave")
    user.refresh_from_db()
    assert user.is_active
    assert user.deactivated_at is None
