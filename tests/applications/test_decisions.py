"""Deciding visa applications: the gate's blocks and approvals, the second pair of eyes, issuing
(status, code, validity, letters, messages), sending back, every illegal move, and two officers
deciding at once."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from safepassage.applications import events
from safepassage.applications.lifecycle import ALLOWED_MOVES, IllegalTransition, move
from safepassage.applications.models import (
    Application,
    ApplicationStatus,
    CheckOutcome,
    Decision,
    DecisionLetter,
    DecisionOutcome,
    DecisionState,
)
from safepassage.applications.services import decisions as service
from safepassage.applications.services.decisions import (
    decision_agree,
    decision_approve,
    decision_propose,
    decision_send_back,
)
from safepassage.applications.services.submission import application_withdraw
from safepassage.audit.models import AuditEvent
from safepassage.core.actors import SystemActor
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.policy.models import PolicyEvaluation, PolicyOverride
from safepassage.policy.services import PolicyBlocked, london_today
from tests.applications.decided import checks_passed, record_check
from tests.applications.sent import sent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

REASON = "The applicant lives in Manchester and has a residence permit there."
APPROVAL = "I have read the file: the applicant is settled in the UK already."


@pytest.fixture
def officer(make_user):
    return make_user(Role.DECISION_MAKER)


@pytest.fixture
def second_officer(make_user):
    return make_user(Role.DECISION_MAKER)


@pytest.fixture
def senior(make_user):
    return make_user(Role.SENIOR_CASEWORKER)


def refuse(actor, application, **kwargs):
    return decision_propose(
        actor=actor,
        application=application,
        outcome=DecisionOutcome.REFUSE,
        reasons=kwargs.pop("reasons", ["in-the-uk"]),
        explanation=kwargs.pop("explanation", REASON),
        **kwargs,
    )


# --- The gate ----------------------------------------------------------------------------------


def test_a_grant_before_the_checks_have_passed_is_blocked_and_nothing_changes(officer):
    application = sent(1)
    record_check(application, "identity", CheckOutcome.PASSED, officer)  # security still pending

    with pytest.raises(PolicyBlocked) as blocked:
        decision_propose(actor=officer, application=application, outcome=DecisionOutcome.GRANT)

    assert [finding["rule"] for finding in blocked.value.evaluation.verdict["findings"]] == [
        "visa-checks-passed"
    ]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert not Decision.objects.exists()
    # The refusal itself is on record.
    assert PolicyEvaluation.objects.get(action="grant_visa").outcome == "blocked"


def test_a_failed_check_blocks_a_grant(officer):
    application = sent(1)
    checks_passed(application, officer)
    record_check(application, "security", CheckOutcome.FAILED, officer)
    with pytest.raises(PolicyBlocked):
        decision_propose(actor=officer, application=application, outcome=DecisionOutcome.GRANT)
    assert not Decision.objects.exists()


def test_a_grant_after_both_checks_is_issued_with_code_validity_and_letters(
    officer, django_capture_on_commit_callbacks
):
    application = sent(1, language="ar")
    checks_passed(application, officer)

    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_propose(
            actor=officer, application=application, outcome=DecisionOutcome.GRANT
        )

    decision.refresh_from_db()
    application.refresh_from_db()
    assert decision.state == DecisionState.ISSUED
    assert application.status == ApplicationStatus.DECIDED
    assert decision.valid_from == london_today()
    assert decision.valid_until == london_today() + timedelta(days=90)
    assert len(decision.verification_code or "") == 14
    assert sorted(DecisionLetter.objects.values_list("language", flat=True)) == ["ar", "en"]
    assert decision.evaluation.outcome == "allowed"
    assert decision.evaluation.action == "grant_visa"
    assert [change.to_status for change in application.status_changes.all()][-1] == "decided"
    # The applicant applied with an email address: the letters go by email, as PDFs.
    letter_mail = [message for message in mail.outbox if message.attachments]
    assert len(letter_mail) == 1
    assert {attachment[2] for attachment in letter_mail[0].attachments} == {"application/pdf"}


def test_the_grant_validity_is_configurable(officer, settings):
    settings.VISA_GRANT_VALIDITY_DAYS = 30
    application = sent(1)
    checks_passed(application, officer)
    decision = decision_propose(
        actor=officer, application=application, outcome=DecisionOutcome.GRANT
    )
    assert decision.valid_until == london_today() + timedelta(days=30)


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reasons", "explanation", "field"),
    [
        ([], REASON, "reasons"),
        (["not-a-scheme-rule"], REASON, "reasons"),
        (["in-the-uk"], "", "explanation"),
        (["in-the-uk"], "Too short.", "explanation"),
        (["in-the-uk"], "x" * 5001, "explanation"),
    ],
    ids=["no-reason", "unknown-reason", "no-explanation", "short-explanation", "too-long"],
)
def test_a_refusal_needs_scheme_reasons_and_an_explanation(officer, reasons, explanation, field):
    application = sent(1)
    with pytest.raises(ValidationFailed) as refused:
        refuse(officer, application, reasons=reasons, explanation=explanation)
    assert field in refused.value.field_errors()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert not Decision.objects.exists()
    assert not PolicyEvaluation.objects.exists()


def test_a_deployment_can_narrow_the_refusal_reasons(officer, settings):
    settings.VISA_REFUSAL_REASONS = ["false-information"]
    with pytest.raises(ValidationFailed):
        refuse(officer, sent(1), reasons=["in-the-uk"])
    assert refuse(officer, sent(2), reasons=["false-information"]).reasons == ["false-information"]


def test_a_grant_has_no_refusal_reasons(officer):
    application = sent(1)
    checks_passed(application, officer)
    with pytest.raises(ValidationFailed):
        decision_propose(
            actor=officer,
            application=application,
            outcome=DecisionOutcome.GRANT,
            reasons=["in-the-uk"],
        )


def test_a_refusal_waits_for_a_second_pair_of_eyes_who_is_someone_else(officer, second_officer):
    application = sent(1)
    decision = refuse(officer, application)
    assert decision.state == DecisionState.AWAITING_SECOND_LOOK
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED  # nothing told the applicant yet

    with pytest.raises(PermissionDenied):
        decision_agree(actor=officer, decision=decision)

    decision_agree(actor=second_officer, decision=decision, note="Agreed on the evidence.")
    decision.refresh_from_db()
    application.refresh_from_db()
    assert decision.state == DecisionState.ISSUED
    assert decision.second_by == second_officer
    assert application.status == ApplicationStatus.DECIDED
    assert decision.valid_until is None


def test_the_second_pair_of_eyes_is_configurable_per_decision_type(officer, settings):
    settings.VISA_SECOND_PAIR_OF_EYES = ["grant"]
    refused = refuse(officer, sent(1))
    assert refused.state == DecisionState.ISSUED
    granted_application = sent(2)
    checks_passed(granted_application, officer)
    granted = decision_propose(
        actor=officer, application=granted_application, outcome=DecisionOutcome.GRANT
    )
    assert granted.state == DecisionState.AWAITING_SECOND_LOOK


def test_a_grant_waiting_for_a_second_look_is_judged_again_when_issued(
    officer, second_officer, settings
):
    settings.VISA_SECOND_PAIR_OF_EYES = ["grant"]
    application = sent(1)
    checks_passed(application, officer)
    decision = decision_propose(
        actor=officer, application=application, outcome=DecisionOutcome.GRANT
    )
    # Meanwhile the security check is run again and finds a match.
    record_check(application, "security", CheckOutcome.FAILED, officer)

    with pytest.raises(PolicyBlocked):
        decision_agree(actor=second_officer, decision=decision)

    decision.refresh_from_db()
    application.refresh_from_db()
    assert decision.state == DecisionState.AWAITING_SECOND_LOOK
    assert application.status == ApplicationStatus.RECEIVED


@pytest.mark.parametrize(
    "details", [{"born": "2011-05-01"}, {"vulnerabilities": ["torture"]}], ids=["child", "torture"]
)
def test_refusing_a_child_or_a_vulnerable_person_needs_a_seniors_approval(
    officer, second_officer, senior, details
):
    application = sent(1, **details)
    decision = refuse(officer, application)
    assert decision.state == DecisionState.AWAITING_APPROVAL
    assert decision.evaluation.outcome == "needs_approval"

    # A decision maker's agreement is not an approval, and a short reason is not one either.
    with pytest.raises(Conflict):
        decision_agree(actor=second_officer, decision=decision)
    with pytest.raises(PermissionDenied):
        decision_approve(actor=second_officer, decision=decision, reason=APPROVAL)
    with pytest.raises(ValidationFailed):
        decision_approve(actor=senior, decision=decision, reason="Fine.")
    decision.refresh_from_db()
    assert decision.state == DecisionState.AWAITING_APPROVAL
    assert not PolicyOverride.objects.exists()

    decision_approve(actor=senior, decision=decision, reason=APPROVAL)
    decision.refresh_from_db()
    assert decision.state == DecisionState.ISSUED
    assert decision.override is not None
    assert decision.override.approved_by == senior
    assert decision.override.evaluation == decision.evaluation
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECIDED


def test_a_senior_cannot_approve_their_own_proposal(senior):
    decision = refuse(senior, sent(1, born="2012"))
    with pytest.raises(PermissionDenied):
        decision_approve(actor=senior, decision=decision, reason=APPROVAL)


def test_a_decision_sent_back_lets_the_application_be_decided_again(officer, second_officer):
    application = sent(1)
    decision = refuse(officer, application)
    with pytest.raises(ValidationFailed):
        decision_send_back(actor=second_officer, decision=decision, note="No.")
    decision_send_back(
        actor=second_officer, decision=decision, note="The evidence does not show this."
    )
    decision.refresh_from_db()
    assert decision.state == DecisionState.RETURNED
    with pytest.raises(Conflict):
        decision_agree(actor=second_officer, decision=decision)

    again = refuse(officer, application, reasons=["false-information"])
    assert again.state == DecisionState.AWAITING_SECOND_LOOK
    assert Decision.objects.filter(application=application).count() == 2


# --- Illegal moves -------------------------------------------------------------------------------


def test_a_second_decision_on_the_same_application_is_refused(officer):
    application = sent(1)
    refuse(officer, application)
    with pytest.raises(Conflict):
        refuse(officer, application)
    assert Decision.objects.count() == 1


def test_a_withdrawn_application_cannot_be_decided(officer):
    application = sent(1)
    application_withdraw(actor=SystemActor("tests"), application=application, reason="")
    with pytest.raises(Conflict):
        refuse(officer, application)
    assert not Decision.objects.exists()


def test_a_decision_waiting_when_the_applicant_withdraws_is_never_issued(officer, second_officer):
    application = sent(1)
    decision = refuse(officer, application)
    application_withdraw(actor=SystemActor("tests"), application=application, reason="")
    with pytest.raises(Conflict):
        decision_agree(actor=second_officer, decision=decision)
    decision.refresh_from_db()
    assert decision.state == DecisionState.AWAITING_SECOND_LOOK
    assert not DecisionLetter.objects.exists()


def test_nobody_without_the_permission_decides(make_user):
    application = sent(1)
    for role in (Role.REGISTRATION_OFFICER, Role.AUDITOR, Role.PARTNER_CASEWORKER):
        with pytest.raises(PermissionDenied):
            refuse(make_user(role), application)
    with pytest.raises(PermissionDenied):
        refuse(SystemActor("script"), application)
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (a, b)
        for a, b in itertools.product(ApplicationStatus.values, repeat=2)
        if b not in ALLOWED_MOVES[a]
    ],
)
def test_every_move_the_lifecycle_does_not_allow_is_refused(from_status, to_status):
    application = sent(1)
    Application.objects.filter(pk=application.pk).update(status=from_status)
    application.refresh_from_db()
    with pytest.raises(IllegalTransition) as refused:
        move(application, to_status, actor=SystemActor("tests"))
    assert str(ApplicationStatus(from_status).label) in str(refused.value.message)
    application.refresh_from_db()
    assert application.status == from_status


def test_the_audit_trail_of_a_decision_holds_codes_not_names(officer, second_officer):
    application = sent(1, given_names="Amal", family_name="Haddad")
    decision = refuse(officer, application)
    decision_agree(actor=second_officer, decision=decision)
    payloads = AuditEvent.objects.filter(action__startswith="applications.decision").values_list(
        "payload_json", flat=True
    )
    assert len(payloads) == 2
    assert all("Amal" not in str(payload) and "Haddad" not in str(payload) for payload in payloads)


# --- Two officers at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_officers_deciding_at_once_make_one_decision(make_user):
    if connection.vendor == "sqlite":
        pytest.skip("needs a database that queues concurrent writers (PostgreSQL)")
    first, second = make_user(Role.DECISION_MAKER), make_user(Role.DECISION_MAKER)
    application = sent(1)
    checks_passed(application, first)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(actor, outcome):
        try:
            barrier.wait()
            if outcome == DecisionOutcome.GRANT:
                decision_propose(actor=actor, application=application, outcome=outcome)
            else:
                refuse(actor, application)
            results.append("decided")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(first, DecisionOutcome.GRANT)),
        threading.Thread(target=decide, args=(second, DecisionOutcome.REFUSE)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["conflict", "decided"]
    assert Decision.objects.filter(application=application).count() == 1


def test_a_decision_that_fails_after_its_letters_were_written_leaves_no_files(
    officer, portal, monkeypatch
):
    application = sent(1, language="ar")
    checks_passed(application, officer)
    real_append = service.audit_append

    def failing_append(**kwargs):
        if kwargs.get("event") == events.DECISION_ISSUED:
            raise RuntimeError("the audit log is unavailable")
        return real_append(**kwargs)

    monkeypatch.setattr(service, "audit_append", failing_append)
    with pytest.raises(RuntimeError):
        decision_propose(actor=officer, application=application, outcome=DecisionOutcome.GRANT)

    assert not Decision.objects.exists()
    assert not DecisionLetter.objects.exists()
    letters_folder = portal / "letters"
    assert not letters_folder.exists() or not any(p.is_file() for p in letters_folder.rglob("*"))
