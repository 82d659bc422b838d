"""Reads of accreditations."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from safepassage.core.models import User
from safepassage.workforce.models import Accreditation


def accreditations_held(*, holder: User, on: date) -> frozenset[str]:
    """The kinds of accreditation ``holder`` holds on ``on``: the facts the policy gate reads."""
    return frozenset(
        Accreditation.objects.filter(
            holder=holder, withdrawn_at__isnull=True, valid_from__lte=on, expires_on__gte=on
        ).values_list("kind", flat=True)
    )


def accreditations_of(*, holder: User) -> QuerySet[Accreditation]:
    return Accreditation.objects.filter(holder=holder).select_related("granted_by", "withdrawn_by")
