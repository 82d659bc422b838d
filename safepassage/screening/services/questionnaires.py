"""Drafting and publishing versions of the national questionnaire.

There is one national questionnaire: a draft is edited by an administrator, and publishing it
makes it the one current version (the previous one retires, kept, since interviews point at
it). A published version never changes; its digest is stored so a changed row shows.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safepassage.audit.services import audit_append
from safepassage.core.actors import Actor, staff_user
from safepassage.core.errors import Conflict, ValidationFailed
from safepassage.core.permissions import require_permission
from safepassage.core.roles import Perm
from safepassage.screening import events
from safepassage.screening.models import QuestionnaireVersion, VersionStatus
from safepassage.screening.questionnaire import DefinitionError, parse

DEFINITION_LIMIT = 500_000  # characters of YAML or JSON


def definition_digest(definition: dict[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read_definition(text: str) -> dict[str, Any]:
    """A definition typed or pasted by an administrator (YAML, of which JSON is a subset),
    checked whole: every problem is listed."""
    if len(text) > DEFINITION_LIMIT:
        raise ValidationFailed(
            _("The questionnaire is too long: use %(limit)s characters or fewer")
            % {"limit": DEFINITION_LIMIT},
            field="definition",
        )
    try:
        definition = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" at line %(line)s") % {"line": mark.line + 1} if mark else ""
        raise ValidationFailed(
            _("This is not valid YAML%(where)s.") % {"where": where}, field="definition"
        ) from None
    try:
        parse(definition)
    except DefinitionError as error:
        raise ValidationFailed(
            _("The questionnaire has problems to fix."),
            extra={"fields": {"definition": error.problems}},
        ) from None
    return definition


def questionnaire_draft_save(
    *,
    actor: Actor,
    definition: dict[str, Any],
    notes: str = "",
    draft: QuestionnaireVersion | None = None,
) -> QuestionnaireVersion:
    """Save a new draft, or change an existing one. The definition must already be valid."""
    require_permission(actor, Perm.MANAGE_QUESTIONNAIRE)
    try:
        parse(definition)
    except DefinitionError as error:
        raise ValidationFailed(
            _("The questionnaire has problems to fix."),
            extra={"fields": {"definition": error.problems}},
        ) from None
    with transaction.atomic():
        if draft is None:
            draft = QuestionnaireVersion.objects.create(
                status=VersionStatus.DRAFT,
                definition=definition,
                notes=notes.strip(),
                created_by=staff_user(actor),
            )
        else:
            draft = QuestionnaireVersion.objects.select_for_update().get(pk=draft.pk)
            if draft.is_published:
                raise Conflict(
                    _("A published version cannot be changed. Start a new draft from it."),
                    code="published",
                )
            draft.definition = definition
            draft.notes = notes.strip()
            draft.save(update_fields=["definition", "notes"])
        audit_append(
            actor=actor,
            event=events.QUESTIONNAIRE_DRAFTED,
            target=draft,
            payload={"digest": definition_digest(definition)},
        )
    return draft


def questionnaire_publish(*, actor: Actor, draft: QuestionnaireVersion) -> QuestionnaireVersion:
    """Make a draft the current national version; the previous one retires."""
    require_permission(actor, Perm.MANAGE_QUESTIONNAIRE)
    try:
        with transaction.atomic():
            locked = QuestionnaireVersion.objects.select_for_update().get(pk=draft.pk)
            if locked.is_published:
                raise Conflict(_("This version is already published."), code="published")
            try:
                parse(locked.definition)
            except DefinitionError as error:
                raise ValidationFailed(
                    _("The questionnaire has problems to fix."),
                    extra={"fields": {"definition": error.problems}},
                ) from None
            previous = (
                QuestionnaireVersion.objects.select_for_update()
                .filter(status=VersionStatus.CURRENT)
                .first()
            )
            if previous is not None:
                previous.status = VersionStatus.RETIRED
                previous.save(update_fields=["status"])
            number = (QuestionnaireVersion.objects.aggregate(top=Max("number"))["top"] or 0) + 1
            locked.status = VersionStatus.CURRENT
            locked.number = number
            locked.digest = definition_digest(locked.definition)
            locked.published_at = timezone.now()
            locked.published_by = staff_user(actor)
            locked.save(
                update_fields=["status", "number", "digest", "published_at", "published_by"]
            )
            audit_append(
                actor=actor,
                event=events.QUESTIONNAIRE_PUBLISHED,
                target=locked,
                payload={
                    "number": number,
                    "digest": locked.digest,
                    "retired": previous.pk if previous else None,
                },
            )
    except IntegrityError:
        raise Conflict(
            _("Another version was published at the same moment. Try again."), code="race"
        ) from None
    return locked
