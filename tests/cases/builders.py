"""Building asylum cases and interviews at each stage, through the services, for tests.

Each builder takes the people it needs; nothing is shared between tests.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

from safepassage.cases.models import Arrival, ArrivalRoute, AsylumCase, ChildStatus, Relationship
from safepassage.cases.services import arrival_register, claimant_add, stage_allocate
from safepassage.core.actors import SystemActor
from safepassage.core.models import Location, User
from safepassage.people.services import IdentityInput
from safepassage.policy.services import london_today
from safepassage.screening.models import (
    AnswerState,
    Interpreter,
    Interview,
    InterviewMode,
    QuestionnaireVersion,
)
from safepassage.screening.questionnaire import parse
from safepassage.screening.selectors import answers_of, interview_questions, questionnaire_of
from safepassage.screening.services.interpreters import interpreter_add
from safepassage.screening.services.interviews import interview_start
from safepassage.screening.services.questionnaires import (
    questionnaire_draft_save,
    questionnaire_publish,
)
from safepassage.screening.services.recording import (
    answer_record,
    declaration_record_oral,
    language_confirm,
    read_back_confirm,
    read_back_start,
    understanding_confirm,
)
from safepassage.workforce.models import Accreditation

SYSTEM = SystemActor("tests")

# A small questionnaire with every question type, a condition, a welfare-only skip and
# indicator-raising answers; tests that need the national one load it from the shipped files.
SMALL: dict[str, Any] = {
    "title": "Test questionnaire",
    "vocabularies": {
        "basis": [
            {"code": "document", "text": "From a document"},
            {"code": "estimated", "text": "Estimated"},
        ]
    },
    "sections": [
        {
            "id": "identity",
            "title": "Identity",
            "questions": [
                {"id": "family_name", "type": "text", "mandatory": True, "text": "Family name?"},
                {
                    "id": "date_of_birth",
                    "type": "date",
                    "mandatory": True,
                    "text": "Born?",
                    "raises": {"category": "older_person", "when_age_at_least": 70},
                },
                {
                    "id": "dob_basis",
                    "type": "choice",
                    "vocabulary": "basis",
                    "mandatory": True,
                    "text": "How do you know it?",
                },
                {"id": "nationality", "type": "country", "mandatory": True, "text": "Country?"},
                {
                    "id": "language_spoken",
                    "type": "language",
                    "mandatory": False,
                    "text": "Language?",
                },
            ],
        },
        {
            "id": "journey",
            "title": "Journey",
            "questions": [
                {
                    "id": "journey_account",
                    "type": "long_text",
                    "mandatory": True,
                    "text": "Tell me about your journey.",
                },
                {
                    "id": "countries_transited",
                    "type": "country_list",
                    "mandatory": True,
                    "text": "Which countries?",
                    "raises": {"category": "trafficking", "when_any_of": ["LBY"]},
                },
                {
                    "id": "owes_money",
                    "type": "yes_no",
                    "mandatory": True,
                    "text": "Do you owe money for the journey?",
                    "raises": {"category": "trafficking", "when": True},
                },
                {
                    "id": "owed_to_whom",
                    "type": "text",
                    "mandatory": True,
                    "text": "Who do you owe it to?",
                    "show_if": {"question": "owes_money", "equals": True},
                },
                {
                    "id": "nrm_consent",
                    "type": "yes_no",
                    "mandatory": True,
                    "welfare": "skip",
                    "text": "Do you agree to a referral?",
                    "show_if": {"raised": "trafficking"},
                },
            ],
        },
        {
            "id": "criminality",
            "title": "Criminality",
            "welfare": "skip",
            "questions": [
                {
                    "id": "convicted",
                    "type": "yes_no",
                    "mandatory": True,
                    "text": "Have you been convicted of a crime?",
                },
            ],
        },
    ],
    "translations": {
        "ar": {
            "language": "ar",
            "title": "استبيان",
            "sections": {"identity": "الهوية", "journey": "الرحلة", "criminality": "الجنائية"},
            "questions": {
                "family_name": "اسم العائلة؟",
                "date_of_birth": "تاريخ الميلاد؟",
                "dob_basis": "كيف تعرفه؟",
                "nationality": "البلد؟",
                "language_spoken": "اللغة؟",
                "journey_account": "حدثني عن رحلتك.",
                "countries_transited": "أي بلدان؟",
                "owes_money": "هل تدين بمال مقابل الرحلة؟",
                "owed_to_whom": "لمن تدين به؟",
                "nrm_consent": "هل توافق على الإحالة؟",
                "convicted": "هل أدنت بجريمة؟",
            },
            "vocabularies": {"basis": {"document": "من وثيقة", "estimated": "تقديري"}},
            "yes": "نعم",
            "no": "لا",
        }
    },
}

VALID_ANSWERS: dict[str, Any] = {
    "text": "Haddad",
    "long_text": "I travelled by road and then by boat.",
    "yes_no": False,
    "date": "1990-01-01",
    "country": "SDN",
    "country_list": ["TCD", "FRA"],
    "language": "ar",
}


def published(definition: dict[str, Any] | None = None) -> QuestionnaireVersion:
    draft = questionnaire_draft_save(actor=SYSTEM, definition=definition or SMALL)
    return questionnaire_publish(actor=SYSTEM, draft=draft)


def accredit(user: User, *kinds: str) -> None:
    for kind in kinds:
        Accreditation.objects.create(
            holder=user,
            kind=kind,
            valid_from=london_today() - timedelta(days=30),
            expires_on=london_today() + timedelta(days=300),
        )


def arrival(
    *, registrar: User, location: Location, route: str = ArrivalRoute.SMALL_BOAT
) -> Arrival:
    return arrival_register(
        actor=registrar,
        location=location,
        arrived_at=timezone.now() - timedelta(hours=2),
        route=route,
        submission_key=secrets.token_hex(8),
    )


def registered(
    *,
    registrar: User,
    location: Location,
    child: bool = False,
    unaccompanied: bool = False,
    at: Arrival | None = None,
    family_name: str = "Haddad",
) -> AsylumCase:
    party = at or arrival(registrar=registrar, location=location)
    status = ChildStatus.ADULT
    if child:
        status = ChildStatus.UNACCOMPANIED_CHILD if unaccompanied else ChildStatus.ACCOMPANIED_CHILD
    lead = None
    relationship = Relationship.LEAD
    if child and not unaccompanied:
        lead = registered(registrar=registrar, location=location, at=party, family_name=family_name)
        relationship = Relationship.CHILD
    return claimant_add(
        actor=registrar,
        arrival=party,
        submission_key=secrets.token_hex(8),
        identity=IdentityInput(
            given_names="Amal",
            family_name=family_name,
            date_of_birth="2011-03-04" if child else "1990-01-01",
            sex="F",
            nationality="SDN",
        ),
        claims_minor=child,
        child_status=status,
        relationship=relationship,
        family_lead=lead,
    )


def scheduled(case: AsylumCase, *, officer: User, manager: User) -> AsylumCase:
    stage_allocate(
        actor=manager,
        case=case,
        stage="screening",
        officer=officer,
        scheduled_for=timezone.now() + timedelta(hours=1),
    )
    case.refresh_from_db()
    return case


def interpreter(*, account: User | None = None, language: str = "ar") -> Interpreter:
    return interpreter_add(
        actor=SYSTEM,
        full_name="Yusuf Interpreter",
        languages=[{"language": language, "dialects": ["Sudanese"]}],
        accreditation_reference="DPSI-12345",
        accreditation_expires_on=london_today() + timedelta(days=365),
        account=account,
    )


def started(
    case: AsylumCase,
    *,
    officer: User,
    with_interpreter: Interpreter | None = None,
    responsible_adult: str = "",
) -> Interview:
    return interview_start(
        actor=officer,
        case=case,
        mode=InterviewMode.IN_ROOM,
        room="Room 2",
        interpreter=with_interpreter,
        language="ar",
        dialect="Sudanese",
        responsible_adult=responsible_adult,
    )


def answer_everything(interview: Interview, *, officer: User) -> None:
    """Answer every question the interview shows, mandatory or not, with a valid value."""
    questionnaire = questionnaire_of(interview.questionnaire)
    asked: set[str] = set()
    while True:
        pending = [
            question
            for question in interview_questions(interview, answers_of(interview))
            if question.id not in asked
        ]
        if not pending:
            return
        for question in pending:
            if question.type == "choice":
                value: Any = next(iter(questionnaire.vocabularies[question.vocabulary or ""]))
            else:
                value = VALID_ANSWERS[question.type]
            answer_record(
                actor=officer,
                interview=interview,
                question_id=question.id,
                state=AnswerState.ANSWERED,
                value=value,
            )
            asked.add(question.id)


def ready_to_complete(interview: Interview, *, officer: User) -> Interview:
    """Every confirmation the completion needs, after the answers."""
    language_confirm(actor=officer, interview=interview, language=interview.language)
    if interview.interpreter_id is not None:
        understanding_confirm(actor=officer, interview=interview)
        declaration_record_oral(actor=officer, interview=interview)
    read_back_start(actor=officer, interview=interview, language="ar", method="read")
    read_back_confirm(actor=officer, interview=interview)
    interview.refresh_from_db()
    return interview


def check_small_definition() -> None:
    parse(SMALL)
