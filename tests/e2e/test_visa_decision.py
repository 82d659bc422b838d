"""The whole decision in a real browser: a decision maker takes an application from the queue,
runs the identity and security checks, grants it through the policy gate, the letter appears on
the applicant's status page, and the letter's code verifies on the public page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from safepassage.applications.models import Decision, DecisionState
from safepassage.applications.services.security import watch_list_load
from safepassage.core.roles import Role
from tests.applications.sent import sent
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WATCH_LIST = (
    b"reference,family_name,given_names,date_of_birth,nationality\n"
    b"WL-0001,Petrov,Ivan,1970-01-01,RUS\n"
)


@pytest.fixture
def scheme(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def fresh_page(page: Page) -> Page:
    """Another person's browser: no cookies shared with ``page``."""
    browser = page.context.browser
    assert browser is not None
    return browser.new_context(bypass_csp=True, locale="en-GB").new_page()


def test_an_officer_grants_and_the_applicant_sees_and_verifies_the_letter(
    page: Page, live_server, make_user, scheme
):
    watch_list_load(actor=make_user(Role.ADMINISTRATOR), filename="list.csv", content=WATCH_LIST)
    application = sent(1, given_names="Amal", family_name="Haddad")
    officer = make_user(Role.DECISION_MAKER)
    sign_in(page, live_server.url, officer.username, PASSWORD)

    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Visa applications"
    ).click()
    page.get_by_test_id("queue-row").first.get_by_role("link").click()
    expect(page.get_by_test_id("grant-verdict")).to_have_text("Blocked")
    assert_accessible(page)

    page.get_by_test_id("identity-run").click()
    expect(page.get_by_test_id("identity-panel")).to_contain_text("Nobody on record")
    page.get_by_role("button", name="Record who the applicant is").click()
    expect(page.get_by_test_id("identity-panel")).to_contain_text("Passed")

    page.get_by_role("button", name="Run the security check").click()
    expect(page.get_by_test_id("security-panel")).to_contain_text("Clear")
    expect(page.get_by_test_id("grant-verdict")).to_have_text("Allowed")
    assert_accessible(page)

    page.get_by_test_id("propose-form").get_by_label("Grant").check()
    page.get_by_role("button", name="Make the decision").click()
    expect(page.get_by_test_id("decision-state")).to_have_text("Issued")
    assert_accessible(page)
    decision = Decision.objects.get(application=application)
    assert decision.state == DecisionState.ISSUED
    code = page.get_by_test_id("verification-code").inner_text()
    assert code == decision.verification_code

    # The applicant signs in with a code sent to their email address and sees the letter.
    applicant = fresh_page(page)
    applicant.goto(f"{live_server.url}/apply/sign-in/")
    applicant.locator("#id_contact").fill("a1@example.org")
    applicant.locator("main button[type=submit]").click()
    match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert match
    applicant.locator("#id_code").fill(match.group(1))
    applicant.locator("main button[type=submit]").click()
    applicant.goto(f"{live_server.url}/apply/application/{application.public_id}/status/")
    expect(applicant.get_by_test_id("decision-outcome")).to_be_visible()
    # In English, and in the language the applicant prefers (Arabic in these answers).
    expect(applicant.get_by_test_id("letters").locator("a")).to_have_count(2)
    assert_accessible(applicant)
    with applicant.expect_download() as download:
        applicant.get_by_test_id("letters").locator("a").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # Anyone holding the letter can check it, signed in or not.
    checker = fresh_page(page)
    checker.goto(f"{live_server.url}/verify/")
    checker.locator("#id_code").fill(code)
    checker.locator("main button[type=submit]").click()
    expect(checker.get_by_test_id("result")).to_contain_text("Valid")
    assert_accessible(checker)

    # At the border, a registration officer finds the grant by the reference on the letter.
    registration = fresh_page(page)
    sign_in(
        registration,
        live_server.url,
        make_user(Role.REGISTRATION_OFFICER).username,
        PASSWORD,
    )
    registration.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Find a visa grant"
    ).click()
    registration.get_by_label("Reference on the grant letter").fill(
        "sp" + str(application.reference)[2:]
    )
    registration.get_by_role("button", name="Find the grant").click()
    expect(registration.get_by_test_id("grant-found")).to_contain_text("Grant in date")
    assert_accessible(registration)
