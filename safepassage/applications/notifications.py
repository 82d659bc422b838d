"""Messages to applicants, by email or text message, in the applicant's language.

Text messages go through core.sms (a gateway we do not own, behind an interface); email through
Django's email backend. Neither the code nor the contact is ever logged.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from safepassage.applications.models import (
    Applicant,
    Application,
    BiometricAppointment,
    ContactKind,
)
from safepassage.core.sms import send_sms


def preferred_language(application: Application) -> str | None:
    """The language the applicant asked us to write in, when it is one we ship."""
    chosen = application.answers.get("language", {}).get("preferred_language", "")
    return str(chosen) if chosen in dict(settings.LANGUAGES) else None


def _language(applicant: Applicant, application: Application | None) -> str:
    """The language the applicant asked us to use, if we write in it; otherwise the one they
    were using the portal in."""
    chosen = preferred_language(application) if application is not None else None
    return chosen or applicant.language


def _send(
    applicant: Applicant,
    template: str,
    context: dict[str, object],
    application: Application | None = None,
    attachments: Sequence[tuple[str, bytes]] = (),
) -> None:
    """A text message, or an email with ``attachments`` (file name, PDF). Attachments only go by
    email: a text message says what it says and no more."""
    with translation.override(_language(applicant, application)):
        context = {**context, "service_url": settings.SERVICE_BASE_URL}
        if applicant.contact_kind == ContactKind.SMS:
            body = render_to_string(f"applications/messages/{template}.sms.txt", context)
            send_sms(applicant.contact, body.strip())
            return
        subject = render_to_string(f"applications/messages/{template}_subject.txt", context)
        message = EmailMessage(
            " ".join(subject.split()),
            render_to_string(f"applications/messages/{template}.email.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [applicant.contact],
        )
        for filename, content in attachments:
            message.attach(filename, content, "application/pdf")
        message.send(fail_silently=False)


def send_access_code(*, applicant: Applicant, code: str, minutes: int) -> None:
    _send(applicant, "access_code", {"code": code, "minutes": minutes})


def send_submission_confirmation(application: Application) -> None:
    family = list(application.family_members.order_by("pk").values_list("reference", flat=True))
    _send(
        application.applicant,
        "submitted",
        {"reference": application.reference, "family_references": family},
        application,
    )


def send_withdrawal_confirmation(application: Application) -> None:
    _send(application.applicant, "withdrawn", {"reference": application.reference}, application)


def send_biometrics_request(application: Application) -> None:
    _send(
        application.applicant,
        "biometrics_requested",
        {"reference": application.reference},
        application,
    )


def send_appointment_message(appointment: BiometricAppointment, *, template: str) -> None:
    """The confirmation of a booked appointment ("appointment_booked") or its reminder
    ("appointment_reminder"): where and when, on the centre's clocks."""
    application = appointment.application
    _send(
        application.applicant,
        template,
        {"reference": application.reference, "appointment": appointment},
        application,
    )


def send_decision_letter(application: Application, attachments: list[tuple[str, bytes]]) -> None:
    """Tell the applicant a decision is ready. By email, the letters are attached (file name,
    PDF). A text message never says the outcome: someone else may read the phone, so it only
    asks them to sign in."""
    _send(
        application.applicant,
        "decision",
        {"reference": application.reference},
        application,
        attachments,
    )
