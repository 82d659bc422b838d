"""The decision panel on the case view, proposing and reviewing through the pages, and the
decisions waiting for a second pair of eyes."""

from __future__ import annotations

import html

import pytest

from safepassage.applications.models import ApplicationStatus, Decision, DecisionState
from safepassage.core.roles import Role
from tests.applications.decided import checks_passed
from tests.applications.helpers import errors, make_case_reader, text
from tests.applications.sent import sent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

EXPLANATION = "You told us that you live in Leeds and have a residence permit."


@pytest.fixture
def officer(make_user):
    return make_user(Role.DECISION_MAKER)


def case_url(application) -> str:
    return f"/applications/{application.public_id}/"


def test_the_panel_shows_what_the_gate_sees_and_would_say_before_deciding(officer, client_for):
    application = sent(1, born="2012-02-02")
    page = client_for(officer).get(case_url(application))
    body = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "What the policy gate sees" in body
    assert "'claimed_minor': True" in body
    assert "'checks': {'identity': 'pending', 'security': 'pending'}" in body
    # A grant is blocked until the checks pass; refusing a child needs a senior's approval.
    assert 'data-testid="grant-verdict">Blocked<' in body
    assert 'data-testid="refuse-verdict">Needs approval<' in body
    assert "Make the decision" in body


def test_a_refusal_without_reasons_is_shown_back_with_errors_and_nothing_changes(
    officer, client_for
):
    application = sent(1)
    page = client_for(officer).post(
        f"{case_url(application)}decision/", {"outcome": "refuse", "explanation": ""}
    )
    assert page.status_code == 400
    assert "Choose at least one reason for the refusal" in errors(page)
    assert any("Explain the refusal" in message for message in errors(page))
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_a_refusal_proposed_and_agreed_through_the_pages(officer, make_user, client_for):
    application = sent(1)
    proposer = client_for(officer)
    done = proposer.post(
        f"{case_url(application)}decision/",
        {"outcome": "refuse", "reasons": ["in-the-uk"], "explanation": EXPLANATION},
    )
    assert done.status_code == 302
    decision = Decision.objects.get()
    assert decision.state == DecisionState.AWAITING_SECOND_LOOK
    # The proposer sees no buttons to agree their own decision, and is not offered it.
    assert "Agree and issue" not in text(proposer.get(case_url(application)))
    assert application.reference not in text(proposer.get("/applications/decisions/waiting/"))

    second = client_for(make_user(Role.DECISION_MAKER))
    waiting = second.get("/applications/decisions/waiting/")
    assert application.reference in text(waiting)
    second.post(
        f"{case_url(application)}decision/{decision.pk}/",
        {"action": "agree", "note": "The evidence shows this."},
    )
    decision.refresh_from_db()
    assert decision.state == DecisionState.ISSUED
    panel = text(second.get(case_url(application)))
    assert decision.verification_code in panel
    assert "Letter in English" in panel


def test_a_grant_through_the_page_is_issued_at_once(officer, client_for):
    application = sent(1)
    checks_passed(application, officer)
    client = client_for(officer)
    client.post(f"{case_url(application)}decision/", {"outcome": "grant"})
    decision = Decision.objects.get()
    assert decision.state == DecisionState.ISSUED
    body = text(client.get(case_url(application)))
    assert "Valid for travel" in body


def test_a_reader_without_the_decision_permission_sees_no_decision_form(make_user, client_for):
    viewer = make_case_reader(make_user)
    application = sent(1)
    client = client_for(viewer)
    assert "Make the decision" not in text(client.get(case_url(application)))
    refused = client.post(f"{case_url(application)}decision/", {"outcome": "grant"})
    assert refused.status_code == 403
    assert not Decision.objects.exists()
