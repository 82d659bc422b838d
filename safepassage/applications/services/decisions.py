"""Deciding a visa application: propose, approve or look again, issue.

A decision maker proposes a grant or a refusal. The policy gate judges it with the facts built
from the application (applications.facts) inside the same transaction:

* blocked (a grant before the identity and security checks have passed) — refused; nothing is
  recorded but the gate's refusal;
* needs approval (refusing a child or a person who told us of a vulnerability) — the decision
  waits for a senior caseworker, whose approval is a policy override with a written reason;
* allowed — issued at once, unless the scheme asks for a second pair of eyes on this kind of
  decision (``VISA_SECOND_PAIR_OF_EYES``), when it waits for another decision maker.

Issuing an approved or agreed decision re-asks the gate with the facts of that moment (a check
may have changed since the proposal). Issuing moves the application to ``decided``, gives the
decision its verification code and validity, stores the letters, and sends them after commit.
At most one decision per application is live: the application row is locked, and a database
constraint holds if a lock cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events, letters
from safepassage.applications.facts import application_facts
from safepassage.applications.lifecycle import lock_undecided, move
from safepassage.applications.models import (
    Application,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    DecisionState,
)
from safepassage.applications.models.decisions import LIVE_DECISION_STATES
from safepassage.applications.refusal_reasons import available_reasons
from safepassage.applications.services.submission import appointments_cancel_open
from safepassage.applications.tasks import send_decision_letter_task
from safepassage.applications.verification_codes import new_verification_code
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, human
from safepassage.core.errors import Conflict, PermissionDenied
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import FieldErrors, required_reason
from safepassage.policy.engine import Outcome
from safepassage.policy.services import (
    gated_transaction,
    london_today,
    policy_gate,
    policy_override,
)

EXPLANATION_MINIMUM = 20
EXPLANATION_MAXIMUM = 5000
NOTE_MINIMUM = 10

GATE_ACTIONS = {DecisionOutcome.GRANT: "grant_visa", DecisionOutcome.REFUSE: "refuse_visa"}


def needs_second_look(outcome: str) -> bool:
    return outcome in settings.VISA_SECOND_PAIR_OF_EYES


def _validated(outcome: str, reasons: Sequence[str], explanation: str) -> tuple[list[str], str]:
    problems = FieldErrors()
    explanation = explanation.strip()
    chosen = list(dict.fromkeys(reasons))
    if outcome not in DecisionOutcome.values:
        problems.add("outcome", _("Choose whether to grant or refuse the visa"))
    elif outcome == DecisionOutcome.REFUSE:
        allowed = {reason.code for reason in available_reasons()}
        if not chosen:
            problems.add("reasons", _("Choose at least one reason for the refusal"))
        elif any(code not in allowed for code in chosen):
            problems.add("reasons", _("Choose reasons from the scheme's list"))
        if len(" ".join(explanation.split())) < EXPLANATION_MINIMUM:
            problems.add(
                "explanation",
                _("Explain the refusal to the applicant in at least %(minimum)s characters")
                % {"minimum": EXPLANATION_MINIMUM},
            )
    elif chosen:
        problems.add("reasons", _("A grant has no refusal reasons"))
    if len(explanation) > EXPLANATION_MAXIMUM:
        problems.add(
            "explanation",
            _("Use %(limit)s characters or fewer") % {"limit": EXPLANATION_MAXIMUM},
        )
    problems.raise_if_any()
    return chosen, explanation


def _cannot_decide(application: Application) -> Conflict:
    return Conflict(
        _("This application is “%(status)s”: it cannot be decided.")
        % {"status": ApplicationStatus(application.status).label},
        code="not_undecided",
    )


def decision_propose(
    *,
    actor: Actor,
    application: Application,
    outcome: str,
    reasons: Sequence[str] = (),
    explanation: str = "",
) -> Decision:
    """Propose a grant or a refusal; issue it when nothing else is needed (see the module)."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    officer = human(actor, _("A visa decision is a person's decision."))
    reasons, explanation = _validated(outcome, reasons, explanation)
    with letters.files_kept_only_on_commit(), gated_transaction():
        locked = lock_undecided(application, _cannot_decide)
        if Decision.objects.filter(application=locked, state__in=LIVE_DECISION_STATES).exists():
            raise Conflict(
                _("A decision on this application has already been made or is waiting."),
                code="already_decided",
            )
        evaluation = policy_gate(
            actor=actor,
            action=GATE_ACTIONS[DecisionOutcome(outcome)],
            subject=locked,
            facts=application_facts(locked, on=london_today()),
        )
        if evaluation.outcome == Outcome.NEEDS_APPROVAL:
            state = DecisionState.AWAITING_APPROVAL
        elif needs_second_look(outcome):
            state = DecisionState.AWAITING_SECOND_LOOK
        else:
            state = DecisionState.ISSUED
        decision = Decision(
            application=locked,
            outcome=outcome,
            # Saved as waiting first: an issued decision must have its code, given by _issue.
            state=DecisionState.AWAITING_SECOND_LOOK if state == DecisionState.ISSUED else state,
            reasons=reasons,
            explanation=explanation,
            proposed_by=officer,
            evaluation=evaluation,
        )
        try:
            with transaction.atomic():
                decision.save()
        except IntegrityError as error:  # another officer's decision won the race
            raise Conflict(
                _("A decision on this application has already been made or is waiting."),
                code="already_decided",
            ) from error
        audit_append(
            actor=actor,
            event=events.DECISION_PROPOSED,
            target=locked,
            payload={
                "decision": decision.pk,
                "outcome": outcome,
                "reasons": reasons,
                "gate": evaluation.outcome,
                "evaluation": evaluation.pk,
                "waits_for": "" if state == DecisionState.ISSUED else state.value,
            },
        )
        if state == DecisionState.ISSUED:
            _issue(decision, locked, actor, regate=False)
    return decision


def _live(decision: Decision, *states: str) -> Decision:
    """The decision, locked, while it is still in one of ``states``."""
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.state not in states:
        raise Conflict(
            _("This decision is no longer waiting for this. Reload the page."),
            code="decision_moved_on",
        )
    return locked


def decision_approve(*, actor: Actor, decision: Decision, reason: str) -> Decision:
    """A senior caseworker approves a decision the gate said needs approval. The approval is a
    policy override (role checked, never the proposer, written reason, always sampled for QA)
    and is also the second pair of eyes; the decision is issued."""
    require_permission(actor, Perm.OVERRIDE_POLICY)
    require_permission(actor, Perm.DECIDE_APPLICATION)
    approver = human(actor, _("An approval is a person's decision."))
    with letters.files_kept_only_on_commit(), gated_transaction():
        application = lock_undecided(decision.application, _cannot_decide)
        locked = _live(decision, DecisionState.AWAITING_APPROVAL)
        if locked.proposed_by_id == approver.pk:
            raise PermissionDenied(
                _("Someone other than the person who proposed it must approve it.")
            )
        override = policy_override(actor=actor, evaluation=locked.evaluation, reason=reason)
        locked.override = override
        locked.second_by = approver
        locked.second_at = timezone.now()
        locked.second_note = override.reason
        locked.save(update_fields=["override", "second_by", "second_at", "second_note"])
        _issue(locked, application, actor, regate=True)
    return locked


def decision_agree(*, actor: Actor, decision: Decision, note: str = "") -> Decision:
    """A second decision maker agrees a decision waiting for a second pair of eyes: issued."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    checker = human(actor, _("A second look is a person's decision."))
    with letters.files_kept_only_on_commit(), gated_transaction():
        application = lock_undecided(decision.application, _cannot_decide)
        locked = _live(decision, DecisionState.AWAITING_SECOND_LOOK)
        if locked.proposed_by_id == checker.pk:
            raise PermissionDenied(_("The second pair of eyes must be someone else's."))
        locked.second_by = checker
        locked.second_at = timezone.now()
        locked.second_note = " ".join(note.split())[:EXPLANATION_MAXIMUM]
        locked.save(update_fields=["second_by", "second_at", "second_note"])
        _issue(locked, application, actor, regate=True)
    return locked


def decision_send_back(*, actor: Actor, decision: Decision, note: str) -> Decision:
    """The approver or the second decision maker does not agree: the decision goes back, with
    their note, and the application can be decided again."""
    require_permission(actor, Perm.DECIDE_APPLICATION)
    checker = human(actor, _("Sending a decision back is a person's decision."))
    note = required_reason(
        note,
        _("Say why you are sending it back, in at least %(minimum)s characters")
        % {"minimum": NOTE_MINIMUM},
        minimum=NOTE_MINIMUM,
    )
    with transaction.atomic():
        locked = _live(
            decision, DecisionState.AWAITING_APPROVAL, DecisionState.AWAITING_SECOND_LOOK
        )
        if locked.state == DecisionState.AWAITING_APPROVAL:
            require_permission(actor, Perm.OVERRIDE_POLICY)
        if locked.proposed_by_id == checker.pk:
            raise PermissionDenied(_("The second pair of eyes must be someone else's."))
        locked.state = DecisionState.RETURNED
        locked.second_by = checker
        locked.second_at = timezone.now()
        locked.second_note = note
        locked.save(update_fields=["state", "second_by", "second_at", "second_note"])
        audit_append(
            actor=actor,
            event=events.DECISION_SENT_BACK,
            target=locked.application,
            payload={"decision": locked.pk},
        )
    return locked


def _issue(decision: Decision, application: Application, actor: Actor, *, regate: bool) -> None:
    """Inside the caller's gated transaction, with the application locked. ``regate`` when the
    grant was proposed earlier (approved or agreed now), not when it was just gated."""
    today = london_today()
    if decision.outcome == DecisionOutcome.GRANT:
        if regate:
            # A check may have changed since the proposal: the gate judges the grant as it is now.
            policy_gate(
                actor=actor,
                action="grant_visa",
                subject=application,
                facts=application_facts(application, on=today),
            )
        decision.valid_from = today
        decision.valid_until = today + timedelta(days=settings.VISA_GRANT_VALIDITY_DAYS)
    else:
        # A refused applicant has no appointment to keep.
        appointments_cancel_open(application, actor=actor, at=timezone.now())
    move(application, ApplicationStatus.DECIDED, actor=actor)
    decision.state = DecisionState.ISSUED
    decision.issued_at = timezone.now()
    decision.verification_code = new_verification_code()
    decision.save(
        update_fields=["state", "issued_at", "valid_from", "valid_until", "verification_code"]
    )
    stored = letters.letters_store(decision)
    audit_append(
        actor=actor,
        event=events.DECISION_ISSUED,
        target=application,
        payload={
            "decision": decision.pk,
            "outcome": decision.outcome,
            "letters": [letter.language for letter in stored],
            "overridden": decision.override_id is not None,
        },
    )
    decision_id = decision.pk
    transaction.on_commit(lambda: send_decision_letter_task.enqueue(decision_id))
