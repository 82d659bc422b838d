"""Starting, adjourning and completing a screening interview.

Starting asks the gate's ``start_screening_interview`` (the officer's accreditation; for a
child, child accreditation and a responsible adult) with the mode, the interpreter from the
register, and the language. Completing asks ``complete_screening`` with the facts of the
interview itself (``screening.facts``): every mandatory question asked, the language confirmed,
the interpreter's declaration, the applicant's understanding, the read-back confirmed, an
accredited officer, and the interpreter not the recorder. The answers raise their vulnerability
indicators in the same transaction, so the gate sees them; the interview record PDF is stored
with the completion.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.cases.facts import case_facts
from safepassage.cases.lifecycle import lock_case, transition_case
from safepassage.cases.models import AsylumCase, Stage
from safepassage.cases.services import require_allocated, require_separate_steps
from safepassage.core.actors import Actor, human
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.core.validation import FieldErrors, required_reason
from safepassage.policy.engine import Outcome
from safepassage.policy.services import gated_transaction, london_today, policy_gate
from safepassage.safeguarding.services import indicators_raise_from_screening
from safepassage.screening import events, records
from safepassage.screening.facts import interview_facts
from safepassage.screening.models import (
    Interpreter,
    Interview,
    InterviewMode,
    InterviewStatus,
    Variant,
)
from safepassage.screening.questionnaire import raised_categories
from safepassage.screening.selectors import (
    answered_values,
    answers_of,
    current_version,
    questionnaire_of,
)
from safepassage.screening.services.recording import refuse_interpreter_account
from safepassage.workforce.selectors import accreditations_held

REASON_MINIMUM = 20


def _language_problem(interpreter: Interpreter, language: str, dialect: str) -> str | None:
    for entry in interpreter.languages:
        if entry["language"] == language:
            if (
                dialect
                and entry["dialects"]
                and dialect.casefold() not in {known.casefold() for known in entry["dialects"]}
            ):
                return str(_("This interpreter is not registered for that dialect"))
            return None
    return str(_("This interpreter is not registered for that language"))


def interview_start(
    *,
    actor: Actor,
    case: AsylumCase,
    mode: str,
    room: str = "",
    interpreter: Interpreter | None,
    language: str,
    dialect: str = "",
    responsible_adult: str = "",
) -> Interview:
    refuse_interpreter_account(actor, interview=None)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    problems = FieldErrors()
    if mode not in InterviewMode.values:
        problems.add("mode", _("Choose how the interview is held"))
    room = " ".join(room.split())
    if not room:
        problems.add("room", _("Enter the room, or the call's details"))
    language = language.strip().lower()
    dialect = " ".join(dialect.split())
    if not language:
        problems.add("language", _("Choose the language of the interview"))
    if interpreter is not None:
        if not interpreter.is_active:
            problems.add("interpreter", _("This interpreter is no longer on the register"))
        elif interpreter.accreditation_expires_on < london_today():
            problems.add("interpreter", _("This interpreter's accreditation has expired"))
        elif interpreter.account_id == officer.pk:
            problems.add("interpreter", _("You cannot interpret your own interview"))
        elif language and (problem := _language_problem(interpreter, language, dialect)):
            problems.add("interpreter", problem)
    responsible_adult = " ".join(responsible_adult.split())[:200]
    problems.raise_if_any()
    with gated_transaction():
        locked = lock_case(case)
        # A second start (a double press, another tab) waits on the lock above; it must be
        # refused here, not by the database's one-in-progress constraint.
        if Interview.objects.filter(case=locked, status=InterviewStatus.IN_PROGRESS).exists():
            raise Conflict(
                _("An interview on this case is already in progress."),
                code="interview_in_progress",
            )
        require_allocated(locked, officer, Stage.SCREENING)
        require_separate_steps(locked, officer, Stage.SCREENING)
        version = current_version()
        start_facts = {
            "status": "not_started",
            "interpreter_used": interpreter is not None,
            "responsible_adult_present": bool(responsible_adult),
            "interpreter_is_recorder": False,
            "officer_accreditations": sorted(
                accreditations_held(holder=officer, on=london_today())
            ),
        }
        facts = case_facts(locked, on=london_today(), screening=start_facts)
        evaluation = policy_gate(
            actor=actor, action="start_screening_interview", subject=locked, facts=facts
        )
        if evaluation.outcome == Outcome.NEEDS_APPROVAL:
            raise Conflict(
                _("The policy gate says this interview needs approval first."),
                code="needs_approval",
            )
        interview = Interview.objects.create(
            case=locked,
            questionnaire=version,
            variant=Variant.WELFARE if locked.is_child else Variant.FULL,
            officer=officer,
            mode=mode,
            room=room,
            interpreter=interpreter,
            responsible_adult=responsible_adult,
            language=language,
            dialect=dialect,
            start_evaluation=evaluation,
        )
        transition_case(locked, "start_screening", actor=actor, evaluation=evaluation)
        audit_append(
            actor=actor,
            event=events.INTERVIEW_STARTED,
            target=interview,
            payload={
                "case": locked.pk,
                "questionnaire": version.number,
                "variant": interview.variant,
                "mode": mode,
                "interpreter": interpreter.pk if interpreter else None,
                "language": language,
            },
        )
    return interview


def lock_open_interview(interview: Interview, officer_id: int | None) -> Interview:
    """The interview, locked, still in progress, and the actor its recording officer."""
    locked = (
        Interview.objects.select_for_update().select_related("questionnaire").get(pk=interview.pk)
    )
    if locked.status != InterviewStatus.IN_PROGRESS:
        raise Conflict(
            _("This interview is “%(status)s”: it cannot be changed.")
            % {"status": InterviewStatus(locked.status).label},
            code="interview_closed",
        )
    if officer_id is not None and locked.officer_id != officer_id:
        raise PermissionDenied(_("Only the officer conducting this interview can record it."))
    return locked


def interview_adjourn(*, actor: Actor, interview: Interview, reason: str) -> Interview:
    """Stop an interview that cannot go on (the applicant is unwell, the interpreter is not
    understood). It is kept as it is; the case goes back to scheduled, for a new interview."""
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    reason = required_reason(
        reason,
        _("Explain in at least %(minimum)s characters why the interview stops")
        % {"minimum": REASON_MINIMUM},
        minimum=REASON_MINIMUM,
    )
    with transaction.atomic():
        case = lock_case(interview.case)
        locked = lock_open_interview(interview, officer.pk)
        locked.status = InterviewStatus.ADJOURNED
        locked.ended_at = timezone.now()
        locked.adjournment_reason = reason
        locked.save(update_fields=["status", "ended_at", "adjournment_reason"])
        transition_case(case, "adjourn_screening", actor=actor, note=reason)
        audit_append(
            actor=actor,
            event=events.INTERVIEW_ADJOURNED,
            target=locked,
            payload={"case": case.pk},
        )
    return locked


def interview_complete(*, actor: Actor, interview: Interview) -> Interview:
    refuse_interpreter_account(actor, interview=interview)
    require_permission(actor, Perm.CONDUCT_INTERVIEW)
    officer = human(actor)
    with records.files_kept_only_on_commit(), gated_transaction():
        case = lock_case(interview.case)
        locked = lock_open_interview(interview, officer.pk)
        questionnaire = questionnaire_of(locked.questionnaire)
        answers = answers_of(locked)
        raised = raised_categories(questionnaire, answered_values(answers), london_today())
        indicators_raise_from_screening(
            actor=actor, case=case, interview_id=locked.pk, raised=raised
        )
        facts = case_facts(case, on=london_today(), screening=interview_facts(locked))
        evaluation = policy_gate(
            actor=actor, action="complete_screening", subject=case, facts=facts
        )
        if evaluation.outcome == Outcome.NEEDS_APPROVAL:
            raise ValidationFailed(_("The policy gate says completing needs approval."))
        locked.status = InterviewStatus.COMPLETED
        locked.ended_at = timezone.now()
        locked.completion_evaluation = evaluation
        locked.save(update_fields=["status", "ended_at", "completion_evaluation"])
        transition_case(case, "complete_screening", actor=actor, evaluation=evaluation)
        stored = records.interview_record_store(locked)
        locked.record_file, locked.record_sha256 = stored
        locked.save(update_fields=["record_file", "record_sha256"])
        audit_append(
            actor=actor,
            event=events.INTERVIEW_COMPLETED,
            target=locked,
            payload={
                "case": case.pk,
                "evaluation": evaluation.pk,
                "indicators": sorted(raised),
                "referrals_required": evaluation.verdict.get("referrals_required", []),
            },
        )
    return locked
