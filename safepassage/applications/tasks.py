"""Background work of the applications app: messages to applicants, sent after commit."""

from __future__ import annotations

from django_tasks import task

from safepassage.applications.letters import letter_content, letter_filename
from safepassage.applications.models import Application, BiometricAppointment, Decision
from safepassage.applications.notifications import (
    send_appointment_message,
    send_biometrics_request,
    send_decision_letter,
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


@task()
def send_biometrics_request_task(application_id: int) -> None:
    send_biometrics_request(Application.objects.select_related("applicant").get(pk=application_id))


@task()
def send_appointment_confirmation_task(appointment_id: int) -> None:
    send_appointment_message(
        BiometricAppointment.objects.select_related("centre", "application__applicant").get(
            pk=appointment_id
        ),
        template="appointment_booked",
    )


@task()
def send_biometrics_reminders_task() -> dict[str, int]:
    """Remind everyone whose appointment is near and who has not been reminded. Booking an
    appointment books a run of this for the time its reminder is due; the
    send_biometrics_reminders command runs it from cron too. Safe to run at any time, as often
    as you like, on as many workers as you like: each appointment is reminded once."""
    # The service enqueues this task, so it is imported here rather than at the top.
    from safepassage.applications.services.biometrics import appointment_reminders_send

    return appointment_reminders_send()


@task()
def send_decision_letter_task(decision_id: int) -> None:
    """Send an issued decision's letters (enqueued by the decision service on commit)."""
    decision = Decision.objects.select_related("application__applicant").get(pk=decision_id)
    letters = list(decision.letters.select_related("decision__application").order_by("pk"))
    send_decision_letter(
        decision.application,
        [(letter_filename(letter), letter_content(letter)) for letter in letters],
    )
