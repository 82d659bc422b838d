"""A decision maker checks an action in a real browser; every member of staff reads the rules."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from safepassage.core.roles import Role
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_decision_maker_checks_detaining_a_torture_survivor(page: Page, live_server, make_user):
    user = make_user(Role.DECISION_MAKER)
    sign_in(page, live_server.url, user.username, PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Check an action").click()
    assert_accessible(page)

    facts = {
        "person": {
            "date_of_birth": "1988-05-02",
            "claimed_minor": False,
            "sex": "M",
            "pregnant": False,
        },
        "vulnerabilities": [{"category": "torture", "evidence_level": 3}],
        "referrals": {"rule35": "none"},
        "detention": {"detained": True, "facility": "removal_centre", "hours": 4},
        "public_protection_concern": False,
    }
    page.get_by_label("Action").select_option("continue_detention")
    page.get_by_label("Facts (JSON)").fill(json.dumps(facts))
    page.get_by_role("button", name="Check").click()

    verdict = page.get_by_test_id("verdict")
    expect(page.get_by_test_id("outcome")).to_have_text("Blocked")
    expect(verdict).to_contain_text("adult-at-risk-level-3")
    expect(verdict).to_contain_text("A Rule 35 medical report")
    expect(verdict.get_by_role("link", name="Immigration Act 2016, s.59").first).to_have_attribute(
        "href", "https://www.legislation.gov.uk/ukpga/2016/19/section/59"
    )
    assert_accessible(page)

    # The same facts with a public-protection concern: a senior may approve.
    facts["public_protection_concern"] = True
    page.get_by_label("Facts (JSON)").fill(json.dumps(facts))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("outcome")).to_have_text("Needs approval")

    page.get_by_label("Facts (JSON)").fill("{not json")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("alert")).to_contain_text("The facts are not valid JSON")
    assert_accessible(page)


def test_an_interpreter_reads_the_rules_in_arabic(page: Page, live_server, make_user):
    user = make_user(Role.INTERPRETER)
    sign_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/policy/rules/?action=remove")
    expect(
        page.get_by_text("No removal while a referral awaits its reasonable-grounds decision")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="العربيّة").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "القواعد التي يجب أن يجتازها كل إجراء ذي أثر"
    )
    assert_accessible(page)
