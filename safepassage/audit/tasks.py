"""Background work of the audit app: verifying the chains every night."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.utils import get_module_path
from django_tasks_db.models import DBTaskResult

from safepassage.audit.models import VerificationTrigger
from safepassage.audit.services import audit_chain_verify
from safepassage.core.actors import SystemActor
from safepassage.core.models import User

LONDON = ZoneInfo("Europe/London")


@task()
def verify_audit_chain(
    trigger: str = VerificationTrigger.NIGHTLY, requested_by_id: int | None = None
) -> dict:
    """Verify every chain and keep the result. A nightly run books the next night's run."""
    actor = (
        User.objects.get(pk=requested_by_id)
        if requested_by_id is not None
        else SystemActor("audit_verify")
    )
    verification = audit_chain_verify(actor=actor, trigger=trigger)
    if trigger == VerificationTrigger.NIGHTLY:
        schedule_nightly_verification(now=timezone.now() + timedelta(minutes=1))
    return {
        "verification_id": verification.pk,
        "ok": verification.ok,
        "events_checked": verification.events_checked,
        "problem": verification.problem,
    }


def next_nightly_run(now: datetime) -> datetime:
    """The next AUDIT_VERIFY_HOUR:00 in London after ``now`` (an aware datetime)."""
    local = now.astimezone(LONDON)
    candidate = datetime.combine(local.date(), time(settings.AUDIT_VERIFY_HOUR), tzinfo=LONDON)
    if candidate <= local:
        candidate = datetime.combine(
            local.date() + timedelta(days=1), time(settings.AUDIT_VERIFY_HOUR), tzinfo=LONDON
        )
    return candidate


def schedule_nightly_verification(*, now: datetime | None = None) -> datetime:
    """Make sure exactly one nightly verification is waiting; return when it will run."""
    waiting = (
        DBTaskResult.objects.filter(
            task_path=get_module_path(verify_audit_chain.func),
            status=TaskResultStatus.READY,
            args_kwargs__kwargs__trigger=VerificationTrigger.NIGHTLY,
        )
        .order_by("run_after")
        .first()
    )
    if waiting is not None and waiting.run_after is not None:
        return waiting.run_after
    run_at = next_nightly_run(now or timezone.now())
    verify_audit_chain.using(run_after=run_at).enqueue(trigger=VerificationTrigger.NIGHTLY)
    return run_at


def request_verification(*, requested_by_id: int) -> None:
    verify_audit_chain.enqueue(
        trigger=VerificationTrigger.REQUESTED, requested_by_id=requested_by_id
    )
