"""Versions of the national questionnaire: a published version never changes, exactly one is
current, and an interview keeps the version it started with."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from safepassage.audit.models import AuditEvent
from safepassage.core.errors import Conflict, PermissionDenied, ValidationFailed
from safepassage.core.roles import Role
from safepassage.screening.models import AnswerState, QuestionnaireVersion, VersionStatus
from safepassage.screening.questionnaire import display_value
from safepassage.screening.records import render_record
from safepassage.screening.selectors import (
    answers_of,
    current_version,
    interview_questions,
    questionnaire_of,
)
from safepassage.screening.services.interviews import interview_complete
from safepassage.screening.services.questionnaires import (
    definition_digest,
    questionnaire_draft_save,
    questionnaire_publish,
    read_definition,
)
from safepassage.screening.services.recording import answer_record
from tests.cases.builders import SMALL, SYSTEM, published
from tests.screening.helpers import (
    answer_all,
    case_of,
    confirm,
    interview_in_progress,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def administrator(make_user):
    return make_user(Role.ADMINISTRATOR)


def second_edition() -> dict[str, Any]:
    """SMALL with the family name asked differently and a new mandatory question."""
    definition = copy.deepcopy(SMALL)
    identity = definition["sections"][0]
    identity["questions"][0]["text"] = "What is your surname?"
    identity["questions"].append(
        {"id": "place_of_birth", "type": "text", "mandatory": True, "text": "Where were you born?"}
    )
    definition["translations"]["ar"]["questions"]["place_of_birth"] = "أين ولدت؟"
    return definition


def stored(version: QuestionnaireVersion) -> Any:
    return QuestionnaireVersion.objects.values(
        "status", "number", "definition", "digest", "published_at"
    ).get(pk=version.pk)


def test_publishing_numbers_the_version_and_makes_it_current(administrator):
    draft = questionnaire_draft_save(actor=administrator, definition=SMALL, notes="First")
    assert draft.status == VersionStatus.DRAFT
    assert draft.number is None

    version = questionnaire_publish(actor=administrator, draft=draft)

    assert (version.status, version.number) == (VersionStatus.CURRENT, 1)
    assert version.digest == definition_digest(SMALL)
    assert version.published_by == administrator
    assert current_version() == version
    event = AuditEvent.objects.get(action="screening.questionnaire_published")
    assert event.payload == {"number": 1, "digest": version.digest, "retired": None}


def test_a_published_version_cannot_be_edited_through_the_service(administrator):
    version = published()
    before = stored(version)

    with pytest.raises(Conflict) as refused:
        questionnaire_draft_save(actor=administrator, definition=second_edition(), draft=version)

    assert refused.value.code == "published"
    assert str(refused.value.message) == (
        "A published version cannot be changed. Start a new draft from it."
    )
    assert stored(version) == before


def test_a_published_version_refuses_a_changed_definition_in_the_model():
    version = published()
    before = stored(version)
    version.definition = second_edition()

    with pytest.raises(ValueError, match="cannot be changed"):
        version.save()

    version.number = 7
    version.definition = before["definition"]
    with pytest.raises(ValueError, match="cannot be changed"):
        version.save()
    assert stored(version) == before


def test_a_draft_can_be_changed_until_it_is_published(administrator):
    draft = questionnaire_draft_save(actor=administrator, definition=SMALL)
    changed = questionnaire_draft_save(
        actor=administrator, definition=second_edition(), draft=draft
    )
    assert changed.pk == draft.pk
    assert "place_of_birth" in str(QuestionnaireVersion.objects.get(pk=draft.pk).definition)


def test_publishing_a_second_version_retires_the_first(administrator):
    first = published()
    draft = questionnaire_draft_save(actor=administrator, definition=second_edition())

    second = questionnaire_publish(actor=administrator, draft=draft)

    first.refresh_from_db()
    assert (first.status, first.number) == (VersionStatus.RETIRED, 1)
    assert (second.status, second.number) == (VersionStatus.CURRENT, 2)
    assert QuestionnaireVersion.objects.filter(status=VersionStatus.CURRENT).get() == second
    assert current_version() == second
    # Retiring changes the status only: the definition and its digest are kept.
    assert first.digest == definition_digest(first.definition) == definition_digest(SMALL)
    assert (
        AuditEvent.objects.filter(action="screening.questionnaire_published")
        .last()
        .payload["retired"]
        == first.pk
    )


def test_the_database_refuses_a_second_current_version():
    first = published()
    second = questionnaire_publish(
        actor=SYSTEM, draft=questionnaire_draft_save(actor=SYSTEM, definition=second_edition())
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.filter(pk=first.pk).update(status=VersionStatus.CURRENT)
    first.refresh_from_db()
    assert first.status == VersionStatus.RETIRED
    assert QuestionnaireVersion.objects.filter(status=VersionStatus.CURRENT).get() == second


def test_the_database_refuses_a_published_version_without_a_number():
    draft = questionnaire_draft_save(actor=SYSTEM, definition=SMALL)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireVersion.objects.filter(pk=draft.pk).update(status=VersionStatus.CURRENT)


@pytest.mark.parametrize("status", [VersionStatus.CURRENT, VersionStatus.RETIRED])
def test_publishing_what_is_not_a_draft_changes_nothing(administrator, status):
    first = published()
    if status == VersionStatus.RETIRED:
        published(second_edition())
    first.refresh_from_db()
    assert first.status == status
    versions = list(QuestionnaireVersion.objects.order_by("pk").values())
    events = AuditEvent.objects.count()

    with pytest.raises(Conflict) as refused:
        questionnaire_publish(actor=administrator, draft=first)

    assert refused.value.code == "published"
    assert list(QuestionnaireVersion.objects.order_by("pk").values()) == versions
    assert AuditEvent.objects.count() == events


def test_only_an_administrator_drafts_and_publishes(make_user):
    draft = questionnaire_draft_save(actor=SYSTEM, definition=SMALL)
    for role in (Role.SCREENING_OFFICER, Role.LOCATION_MANAGER, Role.AUDITOR):
        user = make_user(role)
        with pytest.raises(PermissionDenied):
            questionnaire_draft_save(actor=user, definition=SMALL)
        with pytest.raises(PermissionDenied):
            questionnaire_publish(actor=user, draft=draft)
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert QuestionnaireVersion.objects.count() == 1


def test_a_draft_with_problems_is_refused_with_every_problem(administrator):
    broken = copy.deepcopy(SMALL)
    broken["sections"][0]["questions"][0]["type"] = "essay"
    del broken["translations"]["ar"]["yes"]
    with pytest.raises(ValidationFailed) as refused:
        questionnaire_draft_save(actor=administrator, definition=broken)
    problems = refused.value.field_errors()["definition"]
    assert len(problems) == 2
    assert not QuestionnaireVersion.objects.exists()


def test_a_typed_definition_that_is_not_yaml_says_where(administrator):
    with pytest.raises(ValidationFailed) as refused:
        read_definition("title: x\nsections: [\n  - id: a\n")
    assert "This is not valid YAML at line" in str(refused.value.message)


# --- An interview keeps its version ------------------------------------------------------------


def test_an_interview_keeps_the_version_it_started_with(make_user):
    staff = make_staff(make_user)
    first = published()
    interview = interview_in_progress(staff)
    answer_record(
        actor=staff.officer,
        interview=interview,
        question_id="family_name",
        state=AnswerState.ANSWERED,
        value="Haddad",
    )

    second = published(second_edition())

    interview.refresh_from_db()
    assert interview.questionnaire == first
    questions = interview_questions(interview, answers_of(interview))
    assert questions[0].text_in("en") == "Family name?"
    assert "place_of_birth" not in [question.id for question in questions]
    # A question only the new version has is not asked in this interview.
    with pytest.raises(ValidationFailed):
        answer_record(
            actor=staff.officer,
            interview=interview,
            question_id="place_of_birth",
            state=AnswerState.ANSWERED,
            value="Omdurman",
        )

    # It completes on its own version's mandatory questions, and its record shows them.
    answer_all(interview, officer=staff.officer)
    confirm(interview, officer=staff.officer)
    completed = interview_complete(actor=staff.officer, interview=interview)
    assert case_of(interview).status == "screened"
    assert completed.questionnaire == first
    questionnaire = questionnaire_of(completed.questionnaire)
    answer = answers_of(completed)["owes_money"]
    assert (
        display_value(questionnaire, questionnaire.questions["owes_money"], answer.value, "ar")
        == "لا"
    )
    assert render_record(completed).startswith(b"%PDF")

    # A new interview starts on the current version.
    later = interview_in_progress(staff)
    assert later.questionnaire == second
    assert "place_of_birth" in [
        question.id for question in interview_questions(later, answers_of(later))
    ]
