"""Showing a candidate beside the new record, field by field, with the model's evidence."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safepassage.people.models import Identity
from safepassage.people.selectors import Candidate

register = template.Library()

FIELD_LABELS = {
    "given": _("Given names"),
    "family": _("Family name"),
    "date_of_birth": _("Date of birth"),
    "sex": _("Sex"),
    "nationality": _("Nationality"),
    "place_of_birth": _("Place of birth"),
    "document": _("Document"),
}


def _values(identity: Identity, comparison: str) -> list[str]:
    if comparison == "given":
        return [name for name in (identity.given_names, identity.given_names_original) if name]
    if comparison == "family":
        return [name for name in (identity.family_name, identity.family_name_original) if name]
    if comparison == "date_of_birth":
        return [identity.date_of_birth_text] if identity.date_of_birth_text else []
    if comparison == "sex":
        return [str(identity.get_sex_display())] if identity.sex else []
    if comparison == "nationality":
        return [identity.nationality] if identity.nationality else []
    if comparison == "place_of_birth":
        return [identity.place_of_birth] if identity.place_of_birth else []
    return [document.number for document in identity.documents.all()]


@register.filter
def side_by_side(candidate: Candidate, new: Identity) -> list[dict[str, Any]]:
    return [
        {
            "label": FIELD_LABELS[agreement.comparison],
            "new": _values(new, agreement.comparison),
            "known": _values(candidate.identity, agreement.comparison),
            # The model's level labels are marked for translation where they are defined.
            "level": gettext(agreement.level),
            "weight": agreement.weight,
        }
        for agreement in candidate.fields
    ]


@register.filter
def percent(probability: float) -> str:
    return f"{probability:.0%}" if probability < 0.995 else ">99%"


@register.filter
def signed(weight: float) -> str:
    return f"{weight:+.1f}"
