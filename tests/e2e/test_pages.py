"""Languages, permissions and the content security policy, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from safepassage.core.roles import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_switch_to_arabic_turns_the_page_right_to_left(page: Page, live_server, make_user):
    user = make_user(Role.ADMINISTRATOR, full_name="Amina Yusuf")
    sign_in(page, live_server.url, user.username, PASSWORD)
    page.get_by_role("link", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.get_by_role("button", name="تسجيل الخروج")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("navigation").get_by_role("link", name="المستخدمون").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("المستخدمون")
    assert_accessible(page)
    # The choice is remembered, and switching back works.
    page.goto(f"{live_server.url}/cookies/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_a_role_without_permission_sees_the_403_page(page: Page, live_server, make_user):
    user = make_user(Role.INTERPRETER)
    sign_in(page, live_server.url, user.username, PASSWORD)
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Users")
    ).to_have_count(0)
    response = page.goto(f"{live_server.url}/manage/users/")
    assert response is not None
    assert response.status == 403
    expect(
        page.get_by_role("heading", name="You do not have permission to see this page")
    ).to_be_visible()
    assert_accessible(page)


def test_public_pages_are_accessible(page: Page, live_server):
    for path in ("/cookies/", "/accessibility/", "/no-such-page/"):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)


def test_the_content_security_policy_lets_our_scripts_run_and_nothing_else(
    browser: Browser, live_server
):
    context = browser.new_context()  # CSP enforced
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/sign-in/")
    # The nonce'd inline script and the GOV.UK Frontend module both ran.
    expect(page.locator("body")).to_have_class(
        "govuk-template__body js-enabled govuk-frontend-supported"
    )
    assert violations == []
    blocked = page.evaluate(
        """() => { try { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.body.appendChild(s);
        return window.injected === true; } catch (e) { return false; } }"""
    )
    assert blocked is False
    context.close()
