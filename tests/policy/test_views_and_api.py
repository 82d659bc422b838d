"""The rule pack page, the check-an-action page and the API."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from safepassage.core.roles import Role
from safepassage.core.services.api_tokens import api_token_issue
from safepassage.policy.models import PolicyEvaluation
from tests.policy.support import CLEAR, merge

pytestmark = pytest.mark.django_db

CHILD_DETAINED = merge(
    CLEAR,
    {
        "person": {"date_of_birth": "2012-01-01"},
        "detention": {"detained": True, "facility": "removal_centre", "hours": 2},
    },
)


def test_every_staff_role_can_read_the_rules(make_user, client_for):
    page = client_for(make_user(Role.INTERPRETER)).get("/policy/rules/").content.decode()
    assert "Children are not detained" in page
    assert "https://www.legislation.gov.uk/ukpga/2014/22/section/5" in page
    assert "From 28 July 2014" in page


def test_the_rules_are_searchable_by_action_and_words(make_user, client_for):
    client = client_for(make_user(Role.DECISION_MAKER))
    page = client.get("/policy/rules/?action=grant_visa").content.decode()
    assert "Identity and security checks pass before a grant" in page
    assert "Children are not detained" not in page
    page = client.get("/policy/rules/?search=recovery").content.decode()
    assert page.count('class="govuk-summary-card"') == 2  # both versions of the recovery rule
    assert "Not in force today" in page


def test_check_an_action_shows_the_verdict_with_citations(make_user, client_for):
    client = client_for(make_user(Role.DECISION_MAKER))
    form = client.get("/policy/check/").content.decode()
    assert "&quot;vulnerabilities&quot;" in form  # prefilled with example facts
    response = client.post(
        "/policy/check/", {"action": "detain", "facts": json.dumps(CHILD_DETAINED)}
    )
    page = response.content.decode()
    assert 'data-testid="outcome">Blocked' in page
    assert "child-detention" in page
    assert "Immigration Act 2014, s.5" in page
    assert not PolicyEvaluation.objects.exists()  # a what-if stores nothing


def test_check_an_action_with_bad_facts_says_what_is_wrong(make_user, client_for):
    client = client_for(make_user(Role.DECISION_MAKER))
    page = client.post("/policy/check/", {"action": "detain", "facts": "{oops"}).content.decode()
    assert "The facts are not valid JSON" in page
    page = client.post(
        "/policy/check/", {"action": "detain", "facts": '{"colour": 1}'}
    ).content.decode()
    assert "facts.colour is not a fact the gate knows" in page
    page = client.post(
        "/policy/check/",
        {"action": "detain", "facts": "{}", "on_day": "30", "on_month": "2", "on_year": "2026"},
    ).content.decode()
    assert "Enter a real date" in page


def test_check_an_action_on_a_past_date(make_user, client_for):
    client = client_for(make_user(Role.DECISION_MAKER))
    facts = merge(CLEAR, {"screening": {"status": "completed"}})
    page = client.post(
        "/policy/check/",
        {
            "action": "route_inadmissibility",
            "facts": json.dumps(facts),
            "on_day": "27",
            "on_month": "6",
            "on_year": "2022",
        },
    ).content.decode()
    assert "paras 345A-345D" in page


def test_check_an_action_needs_permission(make_user, client_for):
    assert client_for(make_user(Role.INTERPRETER)).get("/policy/check/").status_code == 403


def _api(admin, user) -> Client:
    issued = api_token_issue(actor=admin, user=user, name="tests", days=1)
    return Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")


def test_api_check_returns_the_same_verdict_as_the_command(admin_user, make_user):
    client = _api(admin_user, make_user(Role.DECISION_MAKER))
    response = client.post(
        "/api/policy/check/",
        data=json.dumps({"action": "detain", "facts": CHILD_DETAINED, "on": "2026-11-23"}),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["outcome"] == "blocked"
    assert body["on"] == "2026-11-23"
    assert body["findings"][0]["rule"] == "child-detention"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"action": "fly", "facts": {}}, "action", '"fly" is not a valid choice.'),
        ({"action": "detain", "facts": {"colour": 1}}, "facts", "facts.colour is not a fact"),
        ({"action": "detain", "facts": []}, "facts", "Expected a dictionary of items"),
        ({"action": "detain", "facts": {}, "on": "2026-02-30"}, "on", "Date has wrong format"),
        ({"action": "detain", "facts": {}, "extra": 1}, "extra", "This field is not recognised."),
    ],
)
def test_api_check_bad_input(admin_user, make_user, body, field, message):
    client = _api(admin_user, make_user(Role.DECISION_MAKER))
    response = client.post(
        "/api/policy/check/", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    errors = response.json()["error"]["fields"]
    assert message in " ".join(errors[field])


def test_api_check_needs_permission(admin_user, make_user):
    client = _api(admin_user, make_user(Role.INTERPRETER))
    response = client.post(
        "/api/policy/check/",
        data=json.dumps({"action": "detain", "facts": {}}),
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_rules(admin_user, make_user):
    client = _api(admin_user, make_user(Role.INTERPRETER))
    rules = client.get("/api/policy/rules/?action=remove").json()
    ids = [rule["id"] for rule in rules]
    assert ids.count("nrm-recovery-period") == 2
    assert "child-detention" not in ids
