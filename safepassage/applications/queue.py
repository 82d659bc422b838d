"""The order of the decision makers' queue, written down once.

1. Applications with a child in them (a child applying alone, or a parent with children).
2. Applications from someone who told us of a vulnerability.
3. Everyone else.

Within each group, the longest waiting comes first. The order is kept on each application as
one string, ``queue_key``, so that the database can page through it by keyset (``queue_key >
the last one shown``) at the same speed on the first page and the ten-thousandth.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

CHILD, VULNERABLE, OTHER = 0, 1, 2

PRIORITY_LABELS = {
    CHILD: _("Child"),
    VULNERABLE: _("Vulnerability declared"),
    OTHER: _("Standard"),
}

ORDER_EXPLAINED = _(
    "Applications with a child come first, then those from people who told us of a "
    "vulnerability, then the rest. Within each, the longest waiting comes first."
)


def priority_of(*, is_child: bool, has_children: bool, declared_vulnerability: bool) -> int:
    if is_child or has_children:
        return CHILD
    if declared_vulnerability:
        return VULNERABLE
    return OTHER


def queue_key(priority: int, submitted_at: datetime, pk: int) -> str:
    """Sorts as the queue does: priority, then time of submission (UTC), then id."""
    return f"{priority}-{submitted_at.strftime('%Y%m%d%H%M%S%f')}-{pk:012d}"


def is_queue_key(text: str) -> bool:
    parts = text.split("-")
    return (
        len(parts) == 3
        and parts[0].isdigit()
        and len(parts[1]) == 20
        and parts[1].isdigit()
        and len(parts[2]) == 12
        and parts[2].isdigit()
    )
