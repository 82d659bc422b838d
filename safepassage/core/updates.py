"""Saving only what changed, and saying what changed, for the audit event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def model_update(
    *, instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Apply ``data`` for the allowed ``fields``, validate, save the changed ones.

    Returns the diff ``{field: {"from": old, "to": new}}``; empty when nothing changed, in which
    case nothing is written.
    """
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"fields not allowed here: {sorted(unknown)}")
    diff: dict[str, dict[str, Any]] = {}
    for name, new in data.items():
        old = getattr(instance, name)
        if _comparable(old) != _comparable(new):
            diff[name] = {"from": _comparable(old), "to": _comparable(new)}
            setattr(instance, name, new)
    if diff:
        instance.full_clean()
        update_fields = list(diff)
        if any(f.name == "updated_at" for f in instance._meta.get_fields()):
            update_fields.append("updated_at")
        instance.save(update_fields=update_fields)
    return diff
