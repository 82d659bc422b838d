"""Finding a safe-passage grant by its reference, when its holder arrives.

A registration officer types the reference from the grant letter. They see whether the grant is
genuine and in date, who it was granted to (as they applied), the family members granted with
them, and the person record the identity check linked, so that registration (the cases app) can
link the arrival to it. Every lookup is recorded as a read of the application.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from safepassage.applications.models import (
    Application,
    Decision,
    DecisionOutcome,
    DecisionState,
)
from safepassage.applications.references import normalise_reference
from safepassage.applications.services.identity import linked_person
from safepassage.audit.services import record_read
from safepassage.core.actors import Actor
from safepassage.core.errors import NotFound, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.people.models import Person
from safepassage.policy.services import london_today

BAD_REFERENCE = _("Enter the reference as it is on the letter, like SP-7KQ-M4X-9TB")
NO_GRANT = _("No safe-passage grant has this reference. Check it against the letter.")


@dataclass(frozen=True)
class GrantFound:
    application: Application
    decision: Decision
    person: Person | None
    family: Sequence[Application]
    on: date

    @property
    def in_date(self) -> bool:
        valid_from, valid_until = self.decision.valid_from, self.decision.valid_until
        return (
            valid_from is not None
            and valid_until is not None
            and (valid_from <= self.on <= valid_until)
        )


def grant_find(*, actor: Actor, reference: str, on: date | None = None) -> GrantFound:
    require_permission(actor, Perm.FIND_GRANT)
    canonical = normalise_reference(reference or "")
    if canonical is None:
        raise ValidationFailed(BAD_REFERENCE, field="reference")
    decision = (
        Decision.objects.filter(
            state=DecisionState.ISSUED,
            outcome=DecisionOutcome.GRANT,
            application__reference=canonical,
        )
        .select_related("application")
        .first()
    )
    if decision is None:
        raise NotFound(NO_GRANT)
    application = decision.application
    record_read(actor=actor, target=application, purpose="arrival")
    family_root = application.lead or application
    family = list(
        Application.objects.filter(Q(pk=family_root.pk) | Q(lead=family_root))
        .exclude(pk=application.pk)
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(state=DecisionState.ISSUED),
                to_attr="issued_decisions",
            )
        )
        .order_by("pk")
    )
    return GrantFound(
        application=application,
        decision=decision,
        person=linked_person(application),
        family=family,
        on=on or london_today(),
    )
