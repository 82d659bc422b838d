"""The decision makers' queue and case view: the order, paging by keyset, filters, who may see
them, taking an application, and how many queries a page costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safepassage.applications.models import Application
from safepassage.applications.queue import CHILD, OTHER, VULNERABLE
from safepassage.applications.selectors import QueueFilters, queue_page
from safepassage.audit.models import AuditEvent
from safepassage.core.roles import Role
from tests.applications.sent import sent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]


@pytest.fixture
def decider(make_user):
    return make_user(Role.DECISION_MAKER)


def test_children_come_first_then_vulnerability_then_the_longest_waiting(decider):
    plain_old = sent(1, days_ago=9)
    plain_new = sent(2, days_ago=1)
    vulnerable = sent(3, vulnerabilities=["torture"], days_ago=2)
    parent = sent(4, children=1, days_ago=3)
    lone_child = sent(5, born="2012", days_ago=4)

    rows = queue_page(decider, QueueFilters()).rows

    assert [row.pk for row in rows] == [
        lone_child.pk,  # a child, waiting 4 days
        parent.pk,  # a family with a child, waiting 3 days
        vulnerable.pk,
        plain_old.pk,
        plain_new.pk,
    ]
    assert [row.priority for row in rows] == [CHILD, CHILD, VULNERABLE, OTHER, OTHER]
    # A child's own application is shown with the parent's, not on its own line.
    assert Application.objects.filter(lead=parent).count() == 1


def test_the_queue_pages_by_keyset_without_gaps_or_repeats(decider):
    made = [sent(number, days_ago=number % 5) for number in range(23)]

    seen: list[int] = []
    after = ""
    pages = 0
    while True:
        page = queue_page(decider, QueueFilters(), after=after, size=5)
        seen.extend(row.pk for row in page.rows)
        pages += 1
        if not page.next_after:
            break
        after = page.next_after

    assert pages == 5
    assert sorted(seen) == sorted(item.pk for item in made)
    assert len(seen) == len(set(seen))


def test_a_tampered_cursor_starts_at_the_top(decider, client_for):
    sent(1)
    response = client_for(decider).get("/applications/?after=');DROP TABLE x;--")
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="queue-row"') == 1


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"nationality": "AFG"}, {"afghan"}),
        ({"current_country": "PAK"}, {"afghan"}),
        ({"age": "child"}, {"child"}),
        ({"vulnerability": "yes"}, {"vulnerable"}),
        ({"waiting_days": 5}, {"waiting"}),
    ],
)
def test_filters(decider, filters, expected):
    made = {
        "afghan": sent(1, nationality="AFG", country="PAK"),
        "child": sent(2, born="2013"),
        "vulnerable": sent(3, vulnerabilities=["pregnancy"]),
        "waiting": sent(4, days_ago=6),
    }
    rows = queue_page(decider, QueueFilters(**filters)).rows
    assert {name for name, item in made.items() if item.pk in {row.pk for row in rows}} == expected


def test_assigned_filters_and_taking_an_application(decider, client_for, make_user):
    mine, other = sent(1), sent(2)
    client = client_for(decider)

    response = client.post(f"/applications/{mine.public_id}/", {"action": "take"})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.assigned_to == decider
    assert [row.pk for row in queue_page(decider, QueueFilters(assigned="me")).rows] == [mine.pk]
    assert [row.pk for row in queue_page(decider, QueueFilters(assigned="nobody")).rows] == [
        other.pk
    ]
    client.post(f"/applications/{mine.public_id}/", {"action": "release"})
    mine.refresh_from_db()
    assert mine.assigned_to is None
    assert AuditEvent.objects.filter(action="applications.assigned").count() == 2


def test_withdrawn_and_drafts_are_not_in_the_open_queue(decider):
    open_one = sent(1)
    withdrawn = sent(2)
    Application.objects.filter(pk=withdrawn.pk).update(status="withdrawn")
    rows = queue_page(decider, QueueFilters()).rows
    assert [row.pk for row in rows] == [open_one.pk]
    assert [row.pk for row in queue_page(decider, QueueFilters(status="withdrawn")).rows] == [
        withdrawn.pk
    ]


@pytest.mark.parametrize(
    "role", [Role.REGISTRATION_OFFICER, Role.PARTNER_CASEWORKER, Role.AUDITOR, Role.QA_REVIEWER]
)
def test_only_decision_makers_and_seniors_see_the_queue(make_user, client_for, role):
    application = sent(1)
    client = client_for(make_user(role))
    assert client.get("/applications/").status_code == 403
    assert client.get(f"/applications/{application.public_id}/").status_code == 403


def test_the_case_view_shows_answers_family_documents_and_timeline(decider, client_for):
    parent = sent(1, children=1, vulnerabilities=["torture"])
    client = client_for(decider)

    page = client.get(f"/applications/{parent.public_id}/").content.decode()

    assert parent.reference in page
    assert "Personb" in page  # the name answered
    assert "I have been tortured" in page
    child = parent.family_members.get()
    assert child.reference in page
    assert "A visa application was submitted" in page
    # Opening the case is itself recorded, in the audit log's stream of reads.
    assert AuditEvent.objects.filter(
        stream="access", object_type="applications.application", object_id=str(parent.pk)
    ).exists()


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """The SQL a page sends, without the savepoints the test's own transaction adds."""
    return [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_the_queue_page_costs_at_most_ten_queries_at_any_depth(decider, client_for):
    for number in range(30):
        sent(number, children=number % 2)
    client = client_for(decider)
    client.get("/applications/")  # caches warm

    with CaptureQueriesContext(connection) as first:
        assert client.get("/applications/").status_code == 200
    after = queue_page(decider, QueueFilters(), size=25).next_after
    with CaptureQueriesContext(connection) as deep:
        assert client.get(f"/applications/?nationality=SYR&after={after}").status_code == 200

    # Five are every staff page's own (session, user, second factor, roles with their
    # permissions, locations for the header); one is the queue.
    assert len(_statements(first)) <= 10, _statements(first)
    assert len(_statements(deep)) <= 10, _statements(deep)


def test_the_case_view_s_queries_do_not_grow_with_the_family_or_documents(decider, client_for):
    small = sent(1)
    large = sent(2, children=4)
    client = client_for(decider)
    client.get(f"/applications/{small.public_id}/")

    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/applications/{small.public_id}/").status_code == 200
    with CaptureQueriesContext(connection) as five:
        assert client.get(f"/applications/{large.public_id}/").status_code == 200

    assert len(_statements(one)) == len(_statements(five))
    # Five are every staff page's own; recording the read in the audit log takes three (lock,
    # insert, move the head); the application's family, documents and timeline three; the
    # checks, the appointments and the decisions one each, read once for all the panels.
    assert len(_statements(one)) <= 15, _statements(one)
