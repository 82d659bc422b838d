"""Locations: create, change, deactivate, never delete."""

from __future__ import annotations

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.models import Location, LocationKind
from safepassage.core.roles import Role
from safepassage.core.services.locations import (
    location_create,
    location_deactivate,
    location_reactivate,
    location_update,
)
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db


def test_create_location(admin_user):
    location = location_create(
        actor=admin_user, code="dover", name="Dover  Port", kind=LocationKind.PORT, region="Kent"
    )
    assert (location.code, location.name, location.is_active) == ("dover", "Dover Port", True)
    assert AuditEvent.objects.get(action="core.location_created").payload["code"] == "dover"


def test_create_location_refuses_bad_input_and_changes_nothing(admin_user):
    LocationFactory(code="manston", name="Manston")
    before = Location.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        location_create(actor=admin_user, code="Man ston!", name="manston", kind="castle")
    fields = refused.value.field_errors()
    assert fields["code"] == [
        "Code must be 2 to 40 characters: lower-case letters, numbers and hyphens"
    ]
    assert fields["name"] == ["Another location already has this name"]
    assert fields["kind"] == ["Choose the type of location"]
    assert Location.objects.count() == before


def test_duplicate_code_is_refused(admin_user):
    LocationFactory(code="manston")
    with pytest.raises(ValidationFailed) as refused:
        location_create(actor=admin_user, code="manston", name="Other", kind=LocationKind.PORT)
    assert refused.value.field_errors()["code"] == ["Another location already has this code"]


def test_location_manager_cannot_create_locations(make_user):
    manager = make_user(Role.LOCATION_MANAGER)
    with pytest.raises(PermissionDenied):
        location_create(actor=manager, code="dover", name="Dover", kind=LocationKind.PORT)
    assert not Location.objects.filter(code="dover").exists()


def test_update_location_records_diff(admin_user):
    location = LocationFactory(name="Manston", kind=LocationKind.PORT)
    diff = location_update(
        actor=admin_user,
        location=location,
        name="Manston",
        kind=LocationKind.SHORT_TERM_HOLDING,
        region="Kent",
    )
    assert diff == {"kind": {"from": "port", "to": "short_term_holding"}}
    location.refresh_from_db()
    assert location.kind == LocationKind.SHORT_TERM_HOLDING


def test_cannot_deactivate_a_location_that_is_someones_only_location(admin_user, make_user):
    manston = LocationFactory()
    make_user(Role.SCREENING_OFFICER, locations=[manston])
    with pytest.raises(ValidationFailed) as refused:
        location_deactivate(actor=admin_user, location=manston, reason="Closing down")
    assert "1 active staff work only at this location" in str(refused.value.message)
    manston.refresh_from_db()
    assert manston.is_active


def test_deactivate_and_reactivate(admin_user, make_user):
    manston, dover = LocationFactory(), LocationFactory()
    make_user(Role.SCREENING_OFFICER, locations=[manston, dover])
    location_deactivate(actor=admin_user, location=manston, reason="Closing down")
    manston.refresh_from_db()
    assert not manston.is_active
    with pytest.raises(Conflict):
        location_deactivate(actor=admin_user, location=manston, reason="Closing down")
    location_reactivate(actor=admin_user, location=manston, reason="Reopened for winter")
    manston.refresh_from_db()
    assert manston.is_active
