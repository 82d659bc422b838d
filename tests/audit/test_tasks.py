"""The nightly verification, run by the real task worker."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safepassage.audit.models import AuditVerification
from safepassage.audit.tasks import (
    next_nightly_run,
    schedule_nightly_verification,
    verify_audit_chain,
)


def test_next_run_is_the_next_2am_in_london_across_the_clock_change(settings):
    settings.AUDIT_VERIFY_HOUR = 2
    # 25 Oct 2026: the clocks go back in the UK; 02:00 BST no longer exists that night.
    before = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert next_nightly_run(before).isoformat() == "2026-10-25T02:00:00+00:00"
    winter = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert next_nightly_run(winter).isoformat() == "2026-11-25T02:00:00+00:00"


@pytest.mark.django_db
def test_scheduling_is_idempotent():
    first = schedule_nightly_verification()
    second = schedule_nightly_verification()
    assert first == second
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_verification_records_it_and_books_the_next_night():
    verify_audit_chain.enqueue(trigger="nightly")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    verification = AuditVerification.objects.get()
    assert verification.ok
    assert verification.trigger == "nightly"
    finished = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert finished.return_value["ok"] is True
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.args_kwargs["kwargs"] == {"trigger": "nightly"}
