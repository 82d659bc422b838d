"""The asylum case's state machine: every status against every transition.

A legal move changes the status and leaves a CaseTransition and an audit event; an illegal one is
refused with a message naming the status and the transition, and changes nothing. The status
field cannot be assigned, a user without the transition's permission is refused, and each
consequential transition names the policy action the issue requires.
"""

from __future__ import annotations

import itertools
from typing import cast

import pytest

from safepassage.audit.models import AuditEvent
from safepassage.cases.lifecycle import (
    TRANSITIONS,
    IllegalCaseTransition,
    allowed_from,
    lock_case,
    policy_action,
    transition_case,
    transition_label,
    transition_permission,
)
from safepassage.cases.models import AsylumCase, CaseStatus, CaseTransition, Route
from safepassage.core.errors import PermissionDenied
from safepassage.core.models import Location
from safepassage.core.roles import ROLE_PERMISSIONS, Perm, Role
from safepassage.policy.models import PolicyEvaluation
from safepassage.policy.services import policy_evaluate
from tests.cases.builders import SYSTEM, registered
from tests.factories import LocationFactory

pytestmark = pytest.mark.django_db

S = CaseStatus
OPEN_BUT_IN_PROGRESS = (S.REGISTERED, S.SCREENING_SCHEDULED, S.SCREENED, S.ROUTED)

# The machine the issue draws, written out: (status, transition) → the status it moves to.
LEGAL = {
    (S.REGISTERED, "schedule_screening"): S.SCREENING_SCHEDULED,
    (S.SCREENING_SCHEDULED, "start_screening"): S.SCREENING_IN_PROGRESS,
    (S.SCREENING_IN_PROGRESS, "adjourn_screening"): S.SCREENING_SCHEDULED,
    (S.SCREENING_IN_PROGRESS, "complete_screening"): S.SCREENED,
    (S.SCREENED, "route_case"): S.ROUTED,
    (S.ROUTED, "decide"): S.DECIDED,
    **{(status, "close"): S.CLOSED for status in OPEN_BUT_IN_PROGRESS},
}
PAIRS = list(itertools.product(CaseStatus.values, TRANSITIONS))

PERMISSIONS = {
    "schedule_screening": Perm.ALLOCATE_WORK,
    "start_screening": Perm.CONDUCT_INTERVIEW,
    "adjourn_screening": Perm.CONDUCT_INTERVIEW,
    "complete_screening": Perm.CONDUCT_INTERVIEW,
    "route_case": Perm.ROUTE_CASE,
    "decide": Perm.ROUTE_CASE,
    "close": Perm.CLOSE_CASE,
}


def role_with(permission: str) -> str:
    return next(role for role, held in ROLE_PERMISSIONS.items() if permission in held)


def case_in(status: str, make_user) -> AsylumCase:
    """A registered case put in ``status`` by writing the row past the protected field, as only
    a test may."""
    place = cast(Location, LocationFactory())
    case = registered(
        registrar=make_user(Role.REGISTRATION_OFFICER, locations=[place]), location=place
    )
    AsylumCase.objects.filter(pk=case.pk).update(status=status)
    case.refresh_from_db()
    assert case.status == status
    return case


def transition_events(case: AsylumCase):
    return AuditEvent.objects.filter(action="cases.transition", object_id=str(case.pk))


def test_the_table_is_the_machine():
    for status in CaseStatus.values:
        expected = [name for name in TRANSITIONS if (status, name) in LEGAL]
        assert allowed_from(status) == expected, status
    # Nothing leaves a decided or closed case; an interview in progress cannot be closed.
    assert allowed_from(S.DECIDED) == allowed_from(S.CLOSED) == []
    assert "close" not in allowed_from(S.SCREENING_IN_PROGRESS)


@pytest.mark.parametrize(("status", "name"), [pair for pair in PAIRS if pair in LEGAL])
def test_a_legal_transition_moves_the_status_and_is_recorded(make_user, status, name):
    case = case_in(status, make_user)
    actor = make_user(role_with(transition_permission(name)), locations=[case.location])
    before = case.status_changed_at

    locked = lock_case(case)
    change = transition_case(locked, name, actor=actor, note="Recorded by the test")

    case.refresh_from_db()
    assert case.status == LEGAL[(status, name)]
    assert case.status_changed_at > before
    row = CaseTransition.objects.get(case=case)
    assert row == change
    assert (row.name, row.from_status, row.to_status) == (name, status, case.status)
    assert row.actor == actor
    assert row.actor_label == f"user:{actor.pk}"
    assert row.at == case.status_changed_at
    assert row.note == "Recorded by the test"
    assert row.evaluation is None
    event = transition_events(case).get()
    assert event.actor_id == actor.pk
    assert event.object_type == "cases.asylumcase"
    assert event.payload == {
        "transition": name,
        "from": status,
        "to": case.status,
        "evaluation": None,
    }


@pytest.mark.parametrize(("status", "name"), [pair for pair in PAIRS if pair not in LEGAL])
def test_an_illegal_transition_is_refused_by_name_and_changes_nothing(make_user, status, name):
    case = case_in(status, make_user)
    # Someone who holds every permission: the refusal is the machine's, not a missing right.
    actor = make_user(
        Role.LOCATION_MANAGER,
        Role.SCREENING_OFFICER,
        Role.DECISION_MAKER,
        locations=[case.location],
    )

    locked = lock_case(case)
    with pytest.raises(IllegalCaseTransition) as refused:
        transition_case(locked, name, actor=actor)

    message = str(refused.value.message)
    assert f"“{CaseStatus(status).label}”" in message
    assert transition_label(name) in message
    assert refused.value.code == "illegal_transition"
    assert (refused.value.from_status, refused.value.transition) == (status, name)
    case.refresh_from_db()
    assert case.status == status
    assert not CaseTransition.objects.filter(case=case).exists()
    assert not transition_events(case).exists()


def test_the_message_is_one_a_person_reads(make_user):
    case = case_in(S.DECIDED, make_user)
    with pytest.raises(IllegalCaseTransition) as refused:
        transition_case(lock_case(case), "close", actor=SYSTEM)
    assert str(refused.value.message) == "A case that is “Decided” cannot do this: Close the case."


def test_the_status_cannot_be_assigned(make_user):
    case = case_in(S.REGISTERED, make_user)
    with pytest.raises(AttributeError, match="Direct status modification is not allowed"):
        case.status = S.CLOSED
    case.refresh_from_db()
    assert case.status == S.REGISTERED
    assert not CaseTransition.objects.exists()


def test_an_unknown_transition_is_a_programming_error(make_user):
    case = case_in(S.REGISTERED, make_user)
    with pytest.raises(ValueError, match="is not a transition"):
        transition_case(lock_case(case), "save", actor=SYSTEM)


@pytest.mark.parametrize(("status", "name"), [pair for pair in PAIRS if pair in LEGAL])
def test_a_user_without_the_transitions_permission_is_refused(make_user, status, name):
    case = case_in(status, make_user)
    permission = transition_permission(name)
    # Every other role that works on cases, none of which holds this permission.
    roles = [
        role
        for role in (
            Role.REGISTRATION_OFFICER,
            Role.SCREENING_OFFICER,
            Role.LOCATION_MANAGER,
            Role.DECISION_MAKER,
            Role.SAFEGUARDING_LEAD,
            Role.INTERPRETER,
        )
        if permission not in ROLE_PERMISSIONS[role]
    ]
    actor = make_user(*roles, locations=[case.location])

    with pytest.raises(PermissionDenied):
        transition_case(lock_case(case), name, actor=actor)

    case.refresh_from_db()
    assert case.status == status
    assert not CaseTransition.objects.filter(case=case).exists()
    assert not transition_events(case).exists()


@pytest.mark.parametrize("name", TRANSITIONS)
def test_each_transition_needs_the_permission_the_issue_names(name):
    assert transition_permission(name) == PERMISSIONS[name]


@pytest.mark.parametrize(
    ("name", "route", "action"),
    [
        ("schedule_screening", "", None),
        ("start_screening", "", "start_screening_interview"),
        ("adjourn_screening", "", None),
        ("complete_screening", "", "complete_screening"),
        ("route_case", Route.SUBSTANTIVE, None),
        ("route_case", Route.INADMISSIBILITY, "route_inadmissibility"),
        ("decide", Route.SUBSTANTIVE, None),
        ("decide", Route.INADMISSIBILITY, "decide_inadmissible"),
        ("close", "", "close_case"),
        ("close", Route.INADMISSIBILITY, "close_case"),
    ],
)
def test_each_consequential_transition_names_its_policy_action(name, route, action):
    assert policy_action(name, route=route) == action


def test_the_gates_evaluation_is_kept_with_the_transition(make_user):
    case = case_in(S.SCREENED, make_user)
    actor = make_user(Role.DECISION_MAKER, locations=[case.location])
    evaluation = policy_evaluate(
        actor=SYSTEM, action="close_case", subject=case, facts={"on": "2026-01-05"}
    )

    transition_case(lock_case(case), "close", actor=actor, evaluation=evaluation)

    assert CaseTransition.objects.get(case=case).evaluation == evaluation
    assert transition_events(case).get().payload["evaluation"] == evaluation.pk
    assert PolicyEvaluation.objects.filter(subject_id=str(case.pk)).count() == 1
