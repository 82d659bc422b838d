"""Access without a password: a six-digit code sent to an email address or a mobile number.

The code is stored only as a keyed hash, lives for APPLICANT_CODE_MINUTES, works once, and only
the newest code works. Asking for codes is rate-limited, and five wrong codes lock the contact
for a while, so a code cannot be guessed (a million codes, five tries).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.models import AccessCode, Applicant, ContactKind
from safepassage.applications.notifications import send_access_code
from safepassage.audit.services import audit_append
from safepassage.core.actors import ApplicantActor, SystemActor
from safepassage.core.errors import ValidationFailed
from safepassage.core.sms import normalise_email, normalise_phone
from safepassage.core.text import ascii_digits

CODE_DIGITS = 6
CODES_PER_HOUR = 5
WRONG_CODES_BEFORE_LOCK = 5


def code_lifetime() -> timedelta:
    return timedelta(minutes=settings.APPLICANT_CODE_MINUTES)


def lock_duration() -> timedelta:
    return timedelta(minutes=settings.APPLICANT_LOCK_MINUTES)


@dataclass(frozen=True)
class Contact:
    kind: str
    value: str


def parse_contact(text: str) -> Contact:
    """An email address or a mobile number with its country code, as the applicant typed it."""
    text = text.strip()
    if "@" in text:
        email = normalise_email(text)
        if email:
            # Matched without regard to case: a phone capitalises the first letter on one visit
            # and not the next, and almost every mail system ignores the case anyway.
            return Contact(ContactKind.EMAIL, email.lower())
        raise ValidationFailed(
            _("Enter an email address in the correct format, like name@example.com"),
            field="contact",
        )
    phone = normalise_phone(text)
    if phone:
        return Contact(ContactKind.SMS, phone)
    raise ValidationFailed(
        _(
            "Enter an email address, or a mobile number starting with + and the country code, "
            "like +964 770 123 4567"
        ),
        field="contact",
    )


def _digest(applicant_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{applicant_id}:{code}".encode(), hashlib.sha256).hexdigest()


def _locked_error(applicant: Applicant) -> ValidationFailed:
    return ValidationFailed(
        _(
            "You entered a wrong code too many times. For your security, wait 30 minutes, "
            "then ask for a new code."
        ),
        code="locked",
        field="code",
    )


def applicant_for_contact(*, contact: Contact, language: str) -> Applicant:
    """The applicant who holds this contact, made the first time it is used."""
    applicant, _created = Applicant.objects.get_or_create(
        contact=contact.value, defaults={"contact_kind": contact.kind, "language": language}
    )
    return applicant


def codes_per_address() -> int:
    return int(settings.APPLICANT_CODES_PER_ADDRESS_HOUR)


def access_code_request(*, contact_text: str, language: str, requested_from: str = "") -> Applicant:
    """Send a new code to the contact, cancelling any earlier one. The applicant record is made
    the first time a contact asks. ``requested_from`` (core.network) limits how many codes one
    network can have sent, so nobody can use us to message strangers by the thousand."""
    contact = parse_contact(contact_text)
    now = timezone.now()
    if requested_from:
        from_there = AccessCode.objects.filter(
            requested_from=requested_from, created_at__gte=now - timedelta(hours=1)
        ).count()
        if from_there >= codes_per_address():
            raise ValidationFailed(
                _(
                    "Too many codes have been asked for from this internet connection. Wait an "
                    "hour, or try from another connection."
                ),
                code="too_many_codes_from_address",
                field="contact",
            )
    with transaction.atomic():
        applicant, _created = Applicant.objects.select_for_update().get_or_create(
            contact=contact.value, defaults={"contact_kind": contact.kind, "language": language}
        )
        if applicant.is_locked(now):
            raise _locked_error(applicant)
        recent = applicant.codes.filter(created_at__gte=now - timedelta(hours=1)).count()
        if recent >= CODES_PER_HOUR:
            raise ValidationFailed(
                _(
                    "You have asked for %(count)s codes in the last hour. Wait an hour, then "
                    "ask for a new code. Check your spam folder or messages for a code we "
                    "already sent."
                )
                % {"count": CODES_PER_HOUR},
                code="too_many_codes",
                field="contact",
            )
        applicant.codes.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
            cancelled_at=now
        )
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        access_code = AccessCode.objects.create(
            applicant=applicant,
            digest=_digest(applicant.pk, code),
            created_at=now,
            expires_at=now + code_lifetime(),
            requested_from=requested_from,
        )
        if applicant.language != language:
            applicant.language = language
            applicant.save(update_fields=["language"])
        audit_append(
            actor=SystemActor("applicant_portal"),
            event=events.ACCESS_CODE_SENT,
            target=applicant,
            payload={"code_id": access_code.pk, "channel": applicant.contact_kind},
        )
    # Sent once the code is committed, outside the transaction: a slow gateway never holds the
    # applicant's row locked, and a rolled-back request never sends a code that does not work.
    minutes = int(code_lifetime().total_seconds() // 60)
    send_access_code(applicant=applicant, code=code, minutes=minutes)
    return applicant


def access_code_verify(*, applicant: Applicant, code_text: str) -> ApplicantActor:
    """The applicant, once their code is right. A wrong code counts against the contact even
    though the request fails, so the count is committed before the error is raised."""
    code = ascii_digits("".join(code_text.split()))
    if not (len(code) == CODE_DIGITS and code.isdigit()):
        raise ValidationFailed(_("Enter the 6-digit code we sent you"), field="code")
    now = timezone.now()
    failure: ValidationFailed | None = None
    with transaction.atomic():
        applicant = Applicant.objects.select_for_update().get(pk=applicant.pk)
        if applicant.is_locked(now):
            raise _locked_error(applicant)
        live = (
            applicant.codes.filter(used_at__isnull=True, cancelled_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if live is None or live.expires_at <= now:
            raise ValidationFailed(
                _("This code has expired or has already been used. Ask for a new code."),
                code="expired",
                field="code",
            )
        if hmac.compare_digest(live.digest, _digest(applicant.pk, code)):
            live.used_at = now
            live.save(update_fields=["used_at"])
            applicant.failed_code_attempts = 0
            applicant.locked_until = None
            applicant.save(update_fields=["failed_code_attempts", "locked_until"])
            actor = ApplicantActor(applicant.pk)
            audit_append(actor=actor, event=events.APPLICANT_SIGNED_IN, target=applicant)
            return actor
        applicant.failed_code_attempts += 1
        if applicant.failed_code_attempts >= WRONG_CODES_BEFORE_LOCK:
            applicant.locked_until = now + lock_duration()
            applicant.failed_code_attempts = 0
            applicant.codes.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
                cancelled_at=now
            )
            audit_append(
                actor=SystemActor("applicant_portal"),
                event=events.APPLICANT_LOCKED_OUT,
                target=applicant,
            )
            failure = _locked_error(applicant)
        else:
            left = WRONG_CODES_BEFORE_LOCK - applicant.failed_code_attempts
            failure = ValidationFailed(
                _("The code is not right. Check it and try again. Tries left: %(left)s")
                % {"left": left},
                code="wrong_code",
                field="code",
            )
        applicant.save(update_fields=["failed_code_attempts", "locked_until"])
    raise failure
