"""Writes of vulnerability indicators."""

from __future__ import annotations

from django.db import transaction

from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, staff_user
from safepassage.safeguarding import events
from safepassage.safeguarding.models import IndicatorSource, VulnerabilityIndicator


def indicators_raise_from_screening(
    *, actor: Actor, case: object, interview_id: int, raised: dict[str, list[str]]
) -> list[VulnerabilityIndicator]:
    """The indicators a completed screening's answers raise, one per category and question,
    at evidence level 1 (self-declared). Called inside the completion's transaction, whose
    permission and gate checks cover it; raising the same one twice changes nothing."""
    made = []
    with transaction.atomic():
        for category, question_ids in sorted(raised.items()):
            for question_id in question_ids:
                indicator, created = VulnerabilityIndicator.objects.get_or_create(
                    case=case,
                    category=category,
                    source=IndicatorSource.SCREENING_ANSWER,
                    source_reference=f"interview:{interview_id}:{question_id}",
                    defaults={"recorded_by": staff_user(actor)},
                )
                if created:
                    audit_append(
                        actor=actor,
                        event=events.INDICATOR_RAISED,
                        target=indicator,
                        payload={
                            "case": indicator.case_id,
                            "category": category,
                            "source": IndicatorSource.SCREENING_ANSWER,
                            "question": question_id,
                        },
                    )
                    made.append(indicator)
    return made
