"""The gate's facts as rows a page can show ("what the gate sees")."""

from __future__ import annotations

from typing import Any


def facts_rows(facts: dict[str, Any], prefix: str = "") -> list[dict[str, str]]:
    """Nested facts flattened to ``screening.language_confirmed: true`` rows."""
    rows: list[dict[str, str]] = []
    for key, value in facts.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            rows += facts_rows(value, f"{name}.")
        elif isinstance(value, list):
            shown = [
                ", ".join(f"{k}: {v}" for k, v in item.items())
                if isinstance(item, dict)
                else str(item)
                for item in value
            ]
            rows.append({"name": name, "value": "; ".join(shown) or "—"})
        elif isinstance(value, bool):
            rows.append({"name": name, "value": "true" if value else "false"})
        else:
            rows.append({"name": name, "value": str(value)})
    return rows
