"""The reviews around a decision in a real browser: an administrator loads a watch list (a bad
file first), an officer adjudicates a possible match; and a refusal of a child waits for a senior
caseworker, who approves it from the decisions waiting for them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from safepassage.applications.models import ApplicationCheck, Decision, DecisionState, WatchList
from safepassage.core.roles import Role
from tests.applications.decided import checks_passed
from tests.applications.sent import sent
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "reference,family_name,given_names,date_of_birth,nationality\n"


@pytest.fixture
def scheme(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def other_person(page: Page) -> Page:
    browser = page.context.browser
    assert browser is not None
    return browser.new_context(bypass_csp=True, locale="en-GB").new_page()


def upload(page: Page, content: str) -> None:
    csv_file: FilePayload = {"name": "list.csv", "mimeType": "text/csv", "buffer": content.encode()}
    page.locator("input[type=file]").set_input_files(files=[csv_file])
    page.get_by_role("button", name="Load the list").click()


def test_a_watch_list_is_loaded_and_a_possible_match_adjudicated(
    page: Page, live_server, make_user, scheme
):
    application = sent(1, given_names="Amal", family_name="Haddad")
    administrator = make_user(Role.ADMINISTRATOR)
    sign_in(page, live_server.url, administrator.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/watch-list/")
    expect(page.get_by_test_id("no-watch-list")).to_be_visible()
    assert_accessible(page)

    upload(page, HEADER + "WL-1,,Amal,1990,SYR\n")  # a row with no family name
    expect(page.locator(".govuk-error-summary")).to_contain_text("Row 2: enter the family name.")
    assert_accessible(page)
    assert not WatchList.objects.exists()

    upload(page, HEADER + "WL-1,Haddad,Amal,,SYR\nWL-2,Petrov,Ivan,1970-01-01,RUS\n")
    expect(page.get_by_test_id("watch-list-entries")).to_have_text("2")

    officer = make_user(Role.DECISION_MAKER)
    work = other_person(page)
    sign_in(work, live_server.url, officer.username, PASSWORD)
    work.goto(f"{live_server.url}/applications/{application.public_id}/")
    work.get_by_test_id("security-run").click()
    expect(work.get_by_test_id("security-result")).to_have_text("Possible match")
    expect(work.get_by_test_id("security-hits")).to_contain_text("WL-1")
    assert_accessible(work)

    form = work.get_by_test_id("security-adjudication-form")
    form.get_by_label("No: the check is passed").check()
    form.get_by_label("Your reasons").fill("Too short")
    form.get_by_role("button", name="Record your decision").click()
    expect(work.locator(".govuk-error-summary")).to_be_visible()
    assert ApplicationCheck.objects.get(kind="security").outcome == "pending"

    form = work.get_by_test_id("security-adjudication-form")
    form.get_by_label("No: the check is passed").check()
    form.get_by_label("Your reasons").fill(
        "The listed Amal Haddad is a man born in Homs; the applicant's passport differs."
    )
    form.get_by_role("button", name="Record your decision").click()
    expect(work.get_by_test_id("security-outcome")).to_have_text("Passed")
    assert_accessible(work)


def test_refusing_a_child_waits_for_a_senior_who_approves_it(
    page: Page, live_server, make_user, scheme
):
    child = sent(1, born="2012-05-05")
    officer = make_user(Role.DECISION_MAKER)
    checks_passed(child, officer)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/{child.public_id}/")
    expect(page.get_by_test_id("refuse-verdict")).to_have_text("Needs approval")

    form = page.get_by_test_id("propose-form")
    form.get_by_label("Refuse").check()
    form.get_by_role("button", name="Make the decision").click()  # no reasons yet
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose at least one reason for the refusal"
    )
    assert not Decision.objects.exists()

    form = page.get_by_test_id("propose-form")
    form.get_by_label("Refuse").check()
    form.get_by_label("The applicant is already in the United Kingdom", exact=False).check()
    form.get_by_label("Explanation for the applicant").fill(
        "You told us you live in Leeds with a residence permit."
    )
    form.get_by_role("button", name="Make the decision").click()
    expect(page.get_by_test_id("decision-state")).to_have_text(
        "Waiting for a senior caseworker's approval"
    )
    assert_accessible(page)

    senior = make_user(Role.SENIOR_CASEWORKER)
    review = other_person(page)
    sign_in(review, live_server.url, senior.username, PASSWORD)
    review.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Decisions waiting"
    ).click()
    assert_accessible(review)
    review.get_by_test_id("waiting-decisions").get_by_role("link").first.click()
    review.get_by_label("Your reason or note").fill(
        "The file shows the child lives in Leeds with their mother; refusal is right."
    )
    review.get_by_role("button", name="Approve and issue").click()
    expect(review.get_by_test_id("decision-state")).to_have_text("Issued")
    assert_accessible(review)
    decision = Decision.objects.get()
    assert decision.state == DecisionState.ISSUED
    assert decision.override is not None

    # The scheme's figures now count the decision.
    review.get_by_role("navigation", name="Menu").get_by_role("link", name="Visa figures").click()
    expect(review.get_by_test_id("figures-overall")).to_contain_text("1 (0 granted, 1 refused)")
    assert_accessible(review)
