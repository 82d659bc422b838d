"""The interpreters' register."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pycountry
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor
from safepassage.core.models import User
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm, Role
from safepassage.core.updates import model_update
from safepassage.core.validation import FieldErrors
from safepassage.screening import events
from safepassage.screening.models import Interpreter


def _languages(raw: Sequence[dict[str, Any]], problems: FieldErrors) -> list[dict[str, Any]]:
    languages: list[dict[str, Any]] = []
    for entry in raw:
        code = str(entry.get("language", "")).strip().lower()
        if not (pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)):
            problems.add("languages", _("Choose each language from the list"))
            continue
        dialects = [
            " ".join(str(d).split())[:60] for d in entry.get("dialects", []) if str(d).strip()
        ]
        if code in {item["language"] for item in languages}:
            problems.add("languages", _("Each language once, with all its dialects"))
            continue
        languages.append({"language": code, "dialects": dialects})
    if not languages:
        problems.add("languages", _("Add at least one language the interpreter works in"))
    return languages


def _validated(
    *,
    full_name: str,
    languages: Sequence[dict[str, Any]],
    accreditation_reference: str,
    accreditation_expires_on: date,
    account: User | None,
    current: Interpreter | None,
) -> dict[str, Any]:
    problems = FieldErrors()
    full_name = " ".join(full_name.split())
    if not full_name:
        problems.add("full_name", _("Enter the interpreter's full name"))
    reference = " ".join(accreditation_reference.split())
    if not reference:
        problems.add("accreditation_reference", _("Enter the accreditation reference"))
    cleaned = _languages(languages, problems)
    if account is not None:
        if not account.has_role(Role.INTERPRETER):
            problems.add("account", _("Link only an account with the interpreter role"))
        elif any(
            account.has_perm(permission)
            for permission in (Perm.CONDUCT_INTERVIEW, Perm.REGISTER_ARRIVAL, Perm.ROUTE_CASE)
        ):
            # An interpreter never records: their account may not hold casework permissions.
            problems.add("account", _("This account can do casework: an interpreter's cannot"))
        other = Interpreter.objects.filter(account=account)
        if current is not None:
            other = other.exclude(pk=current.pk)
        if other.exists():
            problems.add("account", _("This account belongs to another interpreter"))
    problems.raise_if_any()
    return {
        "full_name": full_name,
        "languages": cleaned,
        "accreditation_reference": reference,
        "accreditation_expires_on": accreditation_expires_on,
        "account": account,
    }


def interpreter_add(
    *,
    actor: Actor,
    full_name: str,
    languages: Sequence[dict[str, Any]],
    accreditation_reference: str,
    accreditation_expires_on: date,
    account: User | None = None,
) -> Interpreter:
    require_permission(actor, Perm.MANAGE_INTERPRETERS)
    values = _validated(
        full_name=full_name,
        languages=languages,
        accreditation_reference=accreditation_reference,
        accreditation_expires_on=accreditation_expires_on,
        account=account,
        current=None,
    )
    with transaction.atomic():
        interpreter = Interpreter.objects.create(**values)
        audit_append(
            actor=actor,
            event=events.INTERPRETER_ADDED,
            target=interpreter,
            payload={"languages": interpreter.language_codes()},
        )
    return interpreter


def interpreter_update(
    *,
    actor: Actor,
    interpreter: Interpreter,
    full_name: str,
    languages: Sequence[dict[str, Any]],
    accreditation_reference: str,
    accreditation_expires_on: date,
    account: User | None = None,
    is_active: bool = True,
) -> Interpreter:
    require_permission(actor, Perm.MANAGE_INTERPRETERS)
    values = _validated(
        full_name=full_name,
        languages=languages,
        accreditation_reference=accreditation_reference,
        accreditation_expires_on=accreditation_expires_on,
        account=account,
        current=interpreter,
    )
    values["is_active"] = is_active
    with transaction.atomic():
        locked = Interpreter.objects.select_for_update().get(pk=interpreter.pk)
        diff = model_update(instance=locked, data=values, fields=values.keys())
        if diff:
            audit_append(
                actor=actor,
                event=events.INTERPRETER_CHANGED,
                target=locked,
                # Which fields changed, never the name itself.
                payload={"changed": sorted(diff)},
            )
    return locked
