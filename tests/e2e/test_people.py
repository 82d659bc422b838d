"""A registration officer records an arrival and resolves the candidates, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from safepassage.core.roles import Role
from safepassage.people import services
from safepassage.people.models import Person
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _known(officer) -> Person:
    return services.person_register(
        actor=officer,
        identity=services.IdentityInput(
            given_names="Mohammed",
            family_name="Hosseini",
            given_names_original="محمد",
            family_name_original="حسيني",
            original_script="Arab",
            date_of_birth="1990-03-14",
            sex="M",
            nationality="SYR",
            documents=(services.DocumentInput(document_type="passport", number="N1234567"),),
        ),
    )


def _record(page: Page, base: str) -> None:
    page.goto(f"{base}/people/new/")
    assert_accessible(page)
    page.get_by_label("Given names, in Latin letters").fill("Muhammad")
    page.get_by_label("Family name, in Latin letters").fill("Husseini")
    page.get_by_label("Script of the name as the person writes it").select_option("Arab")
    page.get_by_label("Given names, as the person writes them").fill("محمد")
    page.get_by_label("Family name, as the person writes it").fill("حسيني")
    page.get_by_label("Day").first.fill("14")
    page.get_by_label("Month").first.fill("3")
    page.get_by_label("Year").first.fill("1990")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Nationality").select_option("SYR")
    page.get_by_label("Identity document, if they have one").select_option("passport")
    page.get_by_label("Document number").fill("N 1234567")
    page.get_by_role("button", name="Record and check for matches").click()


def test_officer_links_a_new_arrival_to_the_person_already_known(
    page: Page, live_server, make_user
):
    officer = make_user(Role.REGISTRATION_OFFICER)
    known = _known(officer)
    sign_in(page, live_server.url, officer.username, PASSWORD)

    # A bad date is explained and nothing is recorded.
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("Given names, in Latin letters").fill("Muhammad")
    page.get_by_label("Day").first.fill("31")
    page.get_by_label("Month").first.fill("2")
    page.get_by_label("Year").first.fill("1990")
    page.get_by_role("button", name="Record and check for matches").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a real date")
    assert Person.objects.count() == 1

    _record(page, live_server.url)
    expect(page.get_by_role("heading", name="Is this person already known?")).to_be_visible()
    candidate = page.get_by_test_id("candidate").first
    expect(candidate).to_contain_text("Mohammed Hosseini")
    expect(candidate).to_contain_text("محمد حسيني")
    expect(candidate).to_contain_text("The same number")
    assert_accessible(page)

    candidate.get_by_role("radio", name="The same person", exact=True).check()
    candidate.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Linked: the two records are now one person.")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/people/{known.pk}/")
    expect(page.get_by_text("From a merged record")).to_be_visible()
    assert_accessible(page)
    assert Person.objects.get(pk=known.pk + 1).merged_into_id == known.pk


def test_officer_says_not_the_same_and_it_is_not_suggested_again(
    page: Page, live_server, make_user
):
    officer = make_user(Role.REGISTRATION_OFFICER)
    _known(officer)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    _record(page, live_server.url)
    candidate = page.get_by_test_id("candidate").first
    candidate.get_by_role("radio", name="Not the same person").check()
    candidate.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why they are not the same person")
    candidate = page.get_by_test_id("candidate").first
    candidate.get_by_role("radio", name="Not the same person").check()
    candidate.get_by_label("Reason (needed when they are not the same person)").fill(
        "Different father's name and place of birth"
    )
    candidate.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("They will not be suggested again")).to_be_visible()
    expect(page.get_by_test_id("no-candidates")).to_be_visible()
    assert_accessible(page)
