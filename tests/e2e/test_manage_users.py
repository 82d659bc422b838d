"""An administrator creates a user, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from safepassage.core.models import User
from safepassage.core.roles import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, LocationFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_administrator_creates_a_user(page: Page, live_server, make_user):
    manston = LocationFactory(name="Manston")
    admin = make_user(Role.ADMINISTRATOR, locations=[manston])
    sign_in(page, live_server.url, admin.username, PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users").click()
    assert_accessible(page)
    page.get_by_role("button", name="Create a user").click()
    assert_accessible(page)

    # Nothing filled in: every problem is listed, and nothing is created.
    page.get_by_role("button", name="Create user").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter the person's full name")
    expect(summary).to_contain_text("Choose at least one role")
    assert_accessible(page)
    summary.get_by_role("link", name="Choose at least one role").click()
    expect(page.get_by_label("Partner caseworker")).to_be_focused()
    assert User.objects.count() == 1

    page.get_by_label("Full name").fill("Yonas Tesfaye")
    page.get_by_label("Username").fill("y.tesfaye")
    page.get_by_label("Work email address").fill("yonas@example.org")
    page.get_by_label("Interpreter").check()
    page.get_by_label("Manston").check()
    page.get_by_role("button", name="Create user").click()

    expect(page.get_by_text("Account created for Yonas Tesfaye")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Yonas Tesfaye")
    expect(page.get_by_text("Not set up yet")).to_be_visible()
    assert_accessible(page)
    created = User.objects.get(username="y.tesfaye")
    assert created.role_codes == [Role.INTERPRETER]
