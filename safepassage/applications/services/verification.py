"""Checking a decision letter's verification code: the public page's one service.

Whoever holds a letter (an airline, a border officer, a landlord, the applicant) types its code
and learns only whether the letter is genuine and its dates: the date of the decision and, for a
grant, the dates of the permission. Never the name, and nothing more about a refusal.

Each check is an audit event. The code itself is never recorded (a code in a log is a letter
anyone with the log can present); the event is filed under the network the check came from, as
a keyed digest (core.network), which is also what limits how many checks one network may make,
so nobody can walk through codes. The limit is generous: a border post or an airline's desk may
check many letters from one address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.applications import events
from safepassage.applications.letters import permission_ended
from safepassage.applications.models import Decision, DecisionOutcome, DecisionState
from safepassage.applications.verification_codes import normalise_verification_code
from safepassage.audit.models import AuditEvent, Stream
from safepassage.audit.registry import EventType
from safepassage.audit.services import audit_append
from safepassage.core.actors import SystemActor
from safepassage.core.errors import ValidationFailed
from safepassage.policy.services import london_today

CHECKS_PER_NETWORK = 30
CHECK_WINDOW = timedelta(minutes=10)
# The audit events of checks are filed under this object type, with the network's digest as
# the object id: that is how checks from one network are counted.
CHECK_OBJECT_TYPE = "applications.verification_network"
PUBLIC_PAGE = SystemActor("verification_page")

# For a code that cannot be one of ours; the page's form says the same of one far too long.
MALFORMED_CODE_MESSAGE = _(
    "Enter the verification code exactly as it is printed on the letter: 12 letters "
    "and numbers, like K7QM-2XHD-9TPB"
)

RESULT_VALID = "valid"
RESULT_NOT_VALID = "not_valid"
RESULT_MALFORMED = "malformed"


@dataclass(frozen=True)
class LetterCheck:
    """What the public page may say about a code. For a code that is not ours, only
    ``valid=False``."""

    code: str
    valid: bool
    decided_on: date | None = None
    is_grant: bool = False
    valid_from: date | None = None
    valid_until: date | None = None
    permission_ended: bool = False


def _checks_from(network: str) -> int:
    return AuditEvent.objects.filter(
        object_type=CHECK_OBJECT_TYPE,
        object_id=network,
        occurred_at__gte=timezone.now() - CHECK_WINDOW,
    ).count()


def _record(network: str, event: EventType, payload: dict[str, object]) -> None:
    audit_append(
        actor=PUBLIC_PAGE,
        event=event,
        object_type=CHECK_OBJECT_TYPE,
        object_id=network,
        payload=payload,
        stream=Stream.ACCESS,
    )


def _too_many() -> ValidationFailed:
    minutes = int(CHECK_WINDOW.total_seconds() // 60)
    return ValidationFailed(
        _(
            "You have checked %(count)s codes in the last %(minutes)s minutes. Wait "
            "%(minutes)s minutes, then try again."
        )
        % {"count": CHECKS_PER_NETWORK, "minutes": minutes},
        field="code",
        code="too_many_checks",
    )


def letter_verify(*, code_text: str, checked_from: str, today: date | None = None) -> LetterCheck:
    """Check a typed verification code. Raises ValidationFailed for a code that cannot be one
    of ours (its shape or its check character is wrong) and when this network has checked too
    many codes lately; both are counted as checks. ``checked_from`` is
    core.network.client_address_digest of the request."""
    today = today or london_today()
    # The event is committed before an error is raised: a refused check is still a check.
    with transaction.atomic():
        made = _checks_from(checked_from)
        limited = made >= CHECKS_PER_NETWORK
        code = None if limited else normalise_verification_code(code_text)
        decision = None
        if limited:
            if made == CHECKS_PER_NETWORK:
                # Recorded once per spell (the event itself takes the count past the limit): an
                # attacker hammering the page must not fill the log.
                _record(checked_from, events.LETTER_CHECKS_LIMITED, {"limit": CHECKS_PER_NETWORK})
        elif code is None:
            _record(checked_from, events.LETTER_CHECKED, {"result": RESULT_MALFORMED})
        else:
            decision = (
                Decision.objects.filter(verification_code=code, state=DecisionState.ISSUED)
                .only("pk", "outcome", "issued_at", "valid_from", "valid_until")
                .first()
            )
            if decision is None or decision.issued_at is None:
                _record(checked_from, events.LETTER_CHECKED, {"result": RESULT_NOT_VALID})
            else:
                _record(
                    checked_from,
                    events.LETTER_CHECKED,
                    {"result": RESULT_VALID, "decision": decision.pk},
                )
    if limited:
        raise _too_many()
    if code is None:
        raise ValidationFailed(MALFORMED_CODE_MESSAGE, field="code", code="malformed_code")
    if decision is None or decision.issued_at is None:
        return LetterCheck(code=code, valid=False)
    is_grant = decision.outcome == DecisionOutcome.GRANT
    return LetterCheck(
        code=code,
        valid=True,
        decided_on=timezone.localtime(decision.issued_at).date(),
        is_grant=is_grant,
        valid_from=decision.valid_from if is_grant else None,
        valid_until=decision.valid_until if is_grant else None,
        permission_ended=permission_ended(decision, today),
    )
