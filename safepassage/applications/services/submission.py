"""Submitting an application: exactly once, whatever the network or the applicant's thumb does.

A submission carries an idempotency key (a hidden field of the check-your-answers page, or a
partner system's Idempotency-Key header). The key is stored on the application under a unique
constraint, and the draft row is locked while it is sent, so a double tap, a retry after a
timeout or a replayed POST finds the application the first attempt made instead of making
another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.lifecycle import move
from safepassage.applications.models import (
    AdditionalInformation,
    Applicant,
    Application,
    ApplicationStatus,
    BiometricAppointment,
    Channel,
    PartnerOrganisation,
    Relationship,
    StatusChange,
)
from safepassage.applications.questions import (
    ADULT_AGE,
    STATELESS,
    Answers,
    incomplete_questions,
    listed_children,
    youngest_age,
)
from safepassage.applications.queue import priority_of, queue_key
from safepassage.applications.references import new_reference
from safepassage.applications.selectors import require_can_act_for
from safepassage.applications.tasks import (
    send_submission_confirmation_task,
    send_withdrawal_confirmation_task,
)
from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, actor_label
from safepassage.core.errors import Conflict, ValidationFailed

KEY_MAX = 100
# The answers a child's own application shares with the parent's.
SHARED_WITH_CHILDREN = ("nationality", "location", "protection", "contact", "language")


def _check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > KEY_MAX or not key.isprintable():
        raise ValidationFailed(_("The form has expired. Go back and try again."), field="key")
    return key


def _unused_reference() -> str:
    for _attempt in range(10):
        reference = new_reference()
        if not Application.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not draw an unused reference")  # 29**8 references: never


def _record_status(application: Application, from_status: str, actor: Actor) -> None:
    StatusChange.objects.create(
        application=application,
        from_status=from_status,
        to_status=application.status,
        actor_label=actor_label(actor),
    )


def _denormalise(application: Application, today: date) -> None:
    answers = application.answers
    nationality = answers.get("nationality", {}).get("nationality", "")
    application.nationality = "" if nationality == STATELESS else nationality
    application.current_country = answers.get("location", {}).get("current_country", "")
    born = answers.get("date-of-birth", {}).get("date_of_birth", "")
    application.date_of_birth = born
    application.is_child = bool(born) and youngest_age(born, today) < ADULT_AGE
    vulnerability = answers.get("vulnerability", {})
    application.declared_vulnerability = bool(
        vulnerability.get("vulnerabilities") or vulnerability.get("details")
    )


def _place_in_queue(application: Application, *, has_children: bool) -> None:
    application.priority = priority_of(
        is_child=application.is_child,
        has_children=has_children,
        declared_vulnerability=application.declared_vulnerability,
    )
    assert application.submitted_at is not None
    assert application.pk is not None
    application.queue_key = queue_key(
        application.priority, application.submitted_at, application.pk
    )


def _child_answers(lead: Application, child: dict[str, Any]) -> Answers:
    answers: Answers = {
        slug: lead.answers[slug] for slug in SHARED_WITH_CHILDREN if slug in lead.answers
    }
    answers["name"] = {
        "given_names": child["given_names"],
        "family_name": child.get("family_name", ""),
        "given_names_original": "",
        "family_name_original": "",
    }
    answers["date-of-birth"] = {"date_of_birth": child["date_of_birth"], "estimated": False}
    answers["lead"] = {"reference": lead.reference}
    return answers


def _send(application: Application, key: str, actor: Actor) -> Application:
    """Turn a locked, complete draft into a received application, with its children's."""
    problems = incomplete_questions(application.answers)
    if problems:
        raise ValidationFailed(
            _("Some answers are missing or need checking."),
            code="incomplete",
            extra={"fields": {question.slug: [question.title] for question in problems}},
        )
    now = timezone.now()
    application.reference = _unused_reference()
    application.status = ApplicationStatus.RECEIVED
    application.submitted_at = now
    application.submission_key = key
    _denormalise(application, now.date())
    children = listed_children(application.answers)
    if application.answers.get("family", {}).get("children_applying") != "yes":
        children = []
    _place_in_queue(application, has_children=bool(children))
    application.family_size = len(children)
    application.save()
    _record_status(application, ApplicationStatus.DRAFT, actor)
    for number, child in enumerate(children, start=1):
        member = Application(
            applicant=application.applicant,
            language=application.language,
            channel=application.channel,
            relationship=Relationship.CHILD,
            lead=application,
            helped_by=application.helped_by,
            started_by=application.started_by,
            answers=_child_answers(application, child),
            reference=_unused_reference(),
            status=ApplicationStatus.RECEIVED,
            submitted_at=now,
            submission_key=f"{key}:child:{number}"[:KEY_MAX],
        )
        _denormalise(member, now.date())
        member.save()
        _place_in_queue(member, has_children=False)
        member.save(update_fields=["priority", "queue_key"])
        _record_status(member, ApplicationStatus.DRAFT, actor)
    audit_append(
        actor=actor,
        event=events.APPLICATION_SUBMITTED,
        target=application,
        payload={"reference": application.reference, "children": len(children)},
    )
    application_id = application.pk
    transaction.on_commit(lambda: send_submission_confirmation_task.enqueue(application_id))
    return application


def application_submit(
    *, actor: Actor, application: Application, submission_key: str
) -> tuple[Application, bool]:
    """Send a draft. Returns the application and whether this call sent it; a repeat returns the
    application the first call sent, and sends nothing more."""
    require_can_act_for(actor, application)
    key = _check_key(submission_key)
    with transaction.atomic():
        already = Application.objects.filter(submission_key=key).first()
        if already is not None:
            return already, False
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.DRAFT:
            return locked, False
        return _send(locked, key, actor), True


def application_submit_whole(
    *,
    actor: Actor,
    applicant: Applicant,
    answers: Answers,
    language: str,
    submission_key: str,
    digest: str,
    channel: str = Channel.API,
    helped_by: PartnerOrganisation | None = None,
    started_by: Any = None,
    on_created: Callable[[Application], None] | None = None,
) -> tuple[Application, bool]:
    """Make and send an application in one step (a partner system's API call). ``on_created``
    runs in the same transaction, before sending (to record the applicant's consent)."""
    key = _check_key(submission_key)

    def existing() -> tuple[Application, bool] | None:
        found = Application.objects.filter(submission_key=key).first()
        if found is None:
            return None
        if found.submission_digest != digest:
            raise Conflict(
                _("This idempotency key was already used for a different application."),
                code="idempotency_key_reused",
            )
        return found, False

    earlier = existing()
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            application = Application.objects.create(
                applicant=applicant,
                language=language,
                channel=channel,
                helped_by=helped_by,
                started_by=started_by,
                answers={**answers, "uploads": {"done": True}},
                submission_digest=digest,
            )
            audit_append(
                actor=actor,
                event=events.APPLICATION_STARTED,
                target=application,
                payload={"channel": channel},
            )
            if on_created is not None:
                on_created(application)
            return _send(application, key, actor), True
    except IntegrityError:
        # Another request with the same key won the race; answer with what it made.
        raced = existing()
        if raced is None:
            raise
        return raced


def appointments_cancel_open(application: Application, *, actor: Actor, at: datetime) -> None:
    """Cancel the application's appointments still to be kept (a withdrawal, a refusal)."""
    BiometricAppointment.objects.filter(
        application=application, cancelled_at__isnull=True, attendance=""
    ).update(cancelled_at=at, cancelled_by_label=actor_label(actor))


def application_withdraw(*, actor: Actor, application: Application, reason: str) -> Application:
    """Withdraw a sent application. It is kept, marked withdrawn; nothing is deleted."""
    require_can_act_for(actor, application)
    reason = " ".join(reason.split())[:2000]
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if not locked.can_withdraw:
            raise Conflict(_("This application cannot be withdrawn now."), code="cannot_withdraw")
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason
        locked.save(update_fields=["withdrawn_at", "withdrawal_reason"])
        move(locked, ApplicationStatus.WITHDRAWN, actor=actor)
        # A withdrawn application keeps no biometrics appointment: the desk goes to someone else.
        appointments_cancel_open(locked, actor=actor, at=locked.withdrawn_at)
        audit_append(actor=actor, event=events.APPLICATION_WITHDRAWN, target=locked)
        application_id = locked.pk
        transaction.on_commit(lambda: send_withdrawal_confirmation_task.enqueue(application_id))
    return locked


INFORMATION_MAX = 5000


def information_add(*, actor: Actor, application: Application, text: str) -> Application:
    require_can_act_for(actor, application)
    text = "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()
    if not text:
        raise ValidationFailed(_("Enter the information you want to add"), field="text")
    if len(text) > INFORMATION_MAX:
        raise ValidationFailed(
            _("Use %(limit)s characters or fewer") % {"limit": INFORMATION_MAX}, field="text"
        )
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
            raise Conflict(_("You cannot add information to this application."))
        added = AdditionalInformation.objects.create(
            application=locked, text=text, added_by_label=actor_label(actor)
        )
        audit_append(
            actor=actor,
            event=events.INFORMATION_ADDED,
            target=locked,
            payload={"information_id": added.pk},
        )
    return locked
