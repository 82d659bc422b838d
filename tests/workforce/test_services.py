"""Recording and withdrawing accreditations, and which ones an officer holds on a day: the facts
the policy gate reads before anyone interviews."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.workforce.models import Accreditation
from safepassage.workforce.selectors import accreditations_held
from safepassage.workforce.services import accreditation_grant, accreditation_withdraw
from tests.cases.builders import SYSTEM
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

START = date(2026, 3, 1)
REASON = "Failed the refresher assessment"


@pytest.fixture
def place():
    return LocationFactory()


@pytest.fixture
def manager(make_user, place):
    return make_user(Role.LOCATION_MANAGER, locations=[place])


@pytest.fixture
def officer(make_user, place):
    return make_user(Role.SCREENING_OFFICER, locations=[place])


def grant(manager, officer, **changes):
    values = {
        "actor": manager,
        "holder": officer,
        "kind": "screening",
        "valid_from": START,
        "expires_on": START + timedelta(days=365),
        **changes,
    }
    return accreditation_grant(**values)


def fields(error: ValidationFailed) -> dict[str, str]:
    return {name: " ".join(messages) for name, messages in error.field_errors().items()}


def test_an_accreditation_is_recorded_with_who_granted_it(manager, officer):
    accreditation = grant(manager, officer)
    assert (accreditation.holder, accreditation.kind) == (officer, "screening")
    assert accreditation.granted_by == manager
    event = AuditEvent.objects.get(action="workforce.accreditation_granted")
    assert event.payload == {
        "holder": officer.pk,
        "kind": "screening",
        "valid_from": "2026-03-01",
        "expires_on": "2027-03-01",
    }


def test_nobody_accredits_themselves(make_user, place):
    manager = make_user(Role.LOCATION_MANAGER, Role.SCREENING_OFFICER, locations=[place])
    with pytest.raises(ValidationFailed) as refused:
        grant(manager, manager)
    assert fields(refused.value) == {"holder": "You cannot record an accreditation for yourself"}
    assert not Accreditation.objects.exists()


@pytest.mark.parametrize(
    ("valid_from", "expires_on", "message"),
    [
        (START, START - timedelta(days=1), "The expiry date must be on or after the start date"),
        (START, date(2029, 3, 2), "An accreditation lasts three years at most"),
        (START, date(2031, 1, 1), "An accreditation lasts three years at most"),
        (date(2028, 2, 29), date(2031, 3, 1), "An accreditation lasts three years at most"),
    ],
)
def test_dates_out_of_order_or_too_far_apart_are_refused(
    manager, officer, valid_from, expires_on, message
):
    with pytest.raises(ValidationFailed) as refused:
        grant(manager, officer, valid_from=valid_from, expires_on=expires_on)
    assert fields(refused.value) == {"expires_on": message}
    assert not Accreditation.objects.exists()


@pytest.mark.parametrize(
    ("valid_from", "expires_on"),
    [
        (START, START),  # a single day
        (START, date(2029, 3, 1)),  # three years to the day
        (date(2028, 2, 29), date(2031, 2, 28)),  # from a leap day
    ],
)
def test_up_to_three_years_is_accepted(manager, officer, valid_from, expires_on):
    accreditation = grant(manager, officer, valid_from=valid_from, expires_on=expires_on)
    assert accreditation.expires_on == expires_on


def test_a_deactivated_account_is_not_accredited(manager, officer):
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    with pytest.raises(ValidationFailed) as refused:
        grant(manager, officer)
    assert fields(refused.value) == {"holder": "This account is deactivated"}
    assert not Accreditation.objects.exists()


def test_an_unknown_kind_is_refused(manager, officer):
    with pytest.raises(ValidationFailed) as refused:
        grant(manager, officer, kind="juggling")
    assert fields(refused.value) == {"kind": "Choose an accreditation"}


def test_every_problem_is_named_at_once(make_user, place):
    manager = make_user(Role.LOCATION_MANAGER, locations=[place])
    with pytest.raises(ValidationFailed) as refused:
        grant(manager, manager, kind="juggling", expires_on=START - timedelta(days=1))
    assert set(fields(refused.value)) == {"kind", "expires_on", "holder"}


@pytest.mark.parametrize("role", [Role.SCREENING_OFFICER, Role.REGISTRATION_OFFICER, Role.AUDITOR])
def test_only_those_who_manage_accreditations_grant_them(make_user, officer, role):
    with pytest.raises(PermissionDenied):
        grant(make_user(role), officer)
    assert not Accreditation.objects.exists()


def test_a_manager_acts_only_on_staff_at_their_locations(make_user, manager, officer):
    elsewhere = make_user(Role.LOCATION_MANAGER)  # at another location
    with pytest.raises(NotFound):
        grant(elsewhere, officer)
    assert not Accreditation.objects.exists()
    accreditation = grant(manager, officer)
    with pytest.raises(NotFound):
        accreditation_withdraw(actor=elsewhere, accreditation=accreditation, reason=REASON)
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_at is None


def test_an_administrator_accredits_staff_anywhere(make_user, officer):
    accreditation = grant(make_user(Role.ADMINISTRATOR), officer)
    assert accreditation.holder == officer


def test_a_script_cannot_grant_an_accreditation(officer):
    with pytest.raises(PermissionDenied):
        grant(SYSTEM, officer)
    assert not Accreditation.objects.exists()


# --- Withdrawing ----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "Bad"])
def test_a_withdrawal_needs_a_reason(manager, officer, reason):
    accreditation = grant(manager, officer)
    with pytest.raises(ValidationFailed) as refused:
        accreditation_withdraw(actor=manager, accreditation=accreditation, reason=reason)
    assert str(refused.value.message) == "Say why the accreditation is withdrawn"
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_at is None


def test_a_withdrawal_is_recorded_once(manager, officer):
    accreditation = grant(manager, officer)

    withdrawn = accreditation_withdraw(actor=manager, accreditation=accreditation, reason=REASON)

    assert withdrawn.withdrawn_at is not None
    assert (withdrawn.withdrawn_by, withdrawn.withdrawal_reason) == (manager, REASON)
    with pytest.raises(Conflict) as twice:
        accreditation_withdraw(actor=manager, accreditation=accreditation, reason=REASON)
    assert str(twice.value.message) == "This accreditation has already been withdrawn."
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_at == withdrawn.withdrawn_at
    assert AuditEvent.objects.filter(action="workforce.accreditation_withdrawn").count() == 1


def test_only_those_who_manage_accreditations_withdraw_them(manager, officer):
    accreditation = grant(manager, officer)
    with pytest.raises(PermissionDenied):
        accreditation_withdraw(actor=officer, accreditation=accreditation, reason=REASON)
    accreditation.refresh_from_db()
    assert accreditation.withdrawn_at is None


# --- What an officer holds on a day -----------------------------------------------------------


def test_an_accreditation_is_held_from_its_first_day_to_its_last(manager, officer):
    grant(manager, officer, valid_from=START, expires_on=START + timedelta(days=10))
    assert accreditations_held(holder=officer, on=START - timedelta(days=1)) == frozenset()
    assert accreditations_held(holder=officer, on=START) == {"screening"}
    assert accreditations_held(holder=officer, on=START + timedelta(days=10)) == {"screening"}
    assert accreditations_held(holder=officer, on=START + timedelta(days=11)) == frozenset()


def test_a_withdrawn_accreditation_is_not_held(manager, officer):
    accreditation = grant(manager, officer)
    grant(manager, officer, kind="child_interviews")
    accreditation_withdraw(actor=manager, accreditation=accreditation, reason=REASON)
    assert accreditations_held(holder=officer, on=START) == {"child_interviews"}


def test_a_renewed_accreditation_is_held_though_an_older_one_was_withdrawn(manager, officer):
    old = grant(manager, officer, expires_on=START + timedelta(days=30))
    accreditation_withdraw(actor=manager, accreditation=old, reason=REASON)
    grant(manager, officer, valid_from=START + timedelta(days=5))
    assert accreditations_held(holder=officer, on=START + timedelta(days=10)) == {"screening"}
    assert accreditations_held(holder=officer, on=START) == frozenset()


def test_accreditations_are_each_holders_own(manager, officer, make_user):
    grant(manager, officer)
    other = make_user(Role.SCREENING_OFFICER)
    assert accreditations_held(holder=other, on=START) == frozenset()
