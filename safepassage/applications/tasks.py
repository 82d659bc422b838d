"""Background work of the applications app: messages to applicants, sent after commit."""

from __future__ import annotations

from django_tasks import task

from safepassage.applications.models import Application
from safepassage.applications.notifications import (
    send_submission_confirmation,
    send_withdrawal_confirmation,
)


@task()
def send_submission_confirmation_task(application_id: int) -> None:
    send_submission_confirmation(
        Application.objects.select_related("applicant").get(pk=application_id)
    )


@task()
def send_withdrawal_confirmation_task(application_id: int) -> None:
    send_withdrawal_confirmation(
        Application.objects.select_related("applicant").get(pk=application_id)
    )
