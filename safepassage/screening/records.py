"""The screening interview record: a PDF, in English, of everything the interview recorded —
the questionnaire version, who was there and how, every question shown with its answer (or why
there is none), the question as read back in the applicant's language, the amendments made at
the read-back with the originals, the interpreter's declaration, the read-back's confirmation
and the vulnerability indicators the answers raised.

It is rendered and stored privately with its SHA-256 when the interview is completed, inside
the completion's transaction (``services.interviews.interview_complete``, wrapped in
``files_kept_only_on_commit``), and checked against that checksum whenever it is read. The
record holds what a screening record must and nothing else: the case reference, never the
applicant's name (unless they gave it as an answer); no network fetches (core.pdf).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pycountry
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from safepassage.core import pdf
from safepassage.core.local_dates import date_and_time, joined, long_date
from safepassage.safeguarding.models import Category, VulnerabilityIndicator
from safepassage.screening.models import (
    Amendment,
    Answer,
    AnswerState,
    DeclarationMethod,
    InterpreterDeclaration,
    Interview,
    InterviewMode,
    Variant,
)
from safepassage.screening.questionnaire import Question, Questionnaire, display_value
from safepassage.screening.selectors import answers_of, interview_questions, questionnaire_of

TEMPLATES = Path(settings.BASE_DIR) / "safepassage" / "templates"
TEMPLATE = "screening/record/record.html"
# The house letter look (applications' letter.css), then the record's own rules.
STYLESHEETS = [
    TEMPLATES / "applications" / "letters" / "letter.css",
    TEMPLATES / "screening" / "record" / "record.css",
]
STORAGE_PREFIX = "records"
ENGLISH = "en"
READ_BACK_METHODS = {"read": _("Read aloud to the applicant"), "shown": _("Shown to the applicant")}
NOT_RECORDED = _("Not recorded")
SPLITTABLE_ANSWER = 700  # characters: about a third of a page in the answer column

# Both letters and records written in a transaction go if it does not commit (one ContextVar).
files_kept_only_on_commit = pdf.files_kept_only_on_commit


class RecordDamaged(pdf.StoredFileDamaged):
    """A stored interview record is missing, or no longer matches its checksum."""


# --- What the record says --------------------------------------------------------------------


def _when(value: Any) -> str:
    return date_and_time(value) if value else str(NOT_RECORDED)


def language_name(code: str) -> str:
    """A language's English name ("Arabic"), or its code when it is not an ISO 639 one."""
    if not code:
        return ""
    found = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    return str(found.name) if found is not None else code


def answer_text(
    questionnaire: Questionnaire,
    question: Question,
    state: str,
    value: Any,
    not_asked_reason: str = "",
) -> str:
    """An answer as the record prints it: never blank. The value in English for an answered
    question, otherwise what happened ("Declined to answer", "Not asked: <reason>")."""
    if not state:
        return str(NOT_RECORDED)
    if state == AnswerState.ANSWERED:
        return display_value(questionnaire, question, value, ENGLISH) or str(NOT_RECORDED)
    label = str(AnswerState(state).label)
    if state == AnswerState.NOT_ASKED and not_asked_reason:
        return f"{label}: {not_asked_reason}"
    return label


def _answer(
    questionnaire: Questionnaire, question: Question, answer: Answer | None
) -> dict[str, Any]:
    if answer is None:
        shown = pdf.free_text(str(NOT_RECORDED))
        state = "missing"
    else:
        shown = pdf.free_text(
            answer_text(
                questionnaire, question, answer.state, answer.value, answer.not_asked_reason
            )
        )
        state = answer.state
    return {
        **shown,
        "state": state,
        "long": question.type == "long_text",
        # A question and its answer stay on one page, unless the answer would fill much of it.
        "splittable": len(shown["text"]) > SPLITTABLE_ANSWER,
    }


def _translation(text: str, language: str) -> dict[str, str] | None:
    """The read-back text of a question (or section title), when it is in another language."""
    if not language or language == ENGLISH or not text:
        return None
    return {
        "text": text,
        "lang": language,
        "dir": pdf.language_direction(language),
        "script": pdf.language_script_class(language),
    }


def _sections(
    interview: Interview,
    questionnaire: Questionnaire,
    answers: dict[str, Answer],
    amended: dict[str, list[int]],
    read_back: str,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every section with a question shown, each question numbered through the record."""
    shown = interview_questions(interview, answers)
    by_section: dict[str, list[Question]] = defaultdict(list)
    for question in shown:
        by_section[question.section].append(question)
    numbers: dict[str, int] = {}
    sections = []
    for section in questionnaire.sections:
        questions = by_section.get(section.id)
        if not questions:
            continue
        rows = []
        for question in questions:
            numbers[question.id] = len(numbers) + 1
            english = question.text_in(ENGLISH)
            own = question.text.get(read_back, "") if read_back else ""
            rows.append(
                {
                    "number": numbers[question.id],
                    "text": english,
                    "translation": _translation(own, read_back) if own != english else None,
                    "mandatory": question.mandatory,
                    "answer": _answer(questionnaire, question, answers.get(question.id)),
                    "amendments": amended.get(question.id, []),
                }
            )
        title = section.title_in(ENGLISH)
        own_title = section.title.get(read_back, "") if read_back else ""
        sections.append(
            {
                "title": title,
                "translation": _translation(own_title, read_back) if own_title != title else None,
                "rows": rows,
            }
        )
    return sections, numbers


def _question_label(questionnaire: Questionnaire, question_id: str) -> str:
    question = questionnaire.questions.get(question_id)
    return question.text_in(ENGLISH) if question is not None else question_id


def _amendments(
    questionnaire: Questionnaire, amendments: list[Amendment], numbers: dict[str, int]
) -> list[dict[str, Any]]:
    made = []
    for index, amendment in enumerate(amendments, start=1):
        question = questionnaire.questions.get(amendment.question_id)
        made.append(
            {
                "number": index,
                "question_number": numbers.get(amendment.question_id),
                "question": _question_label(questionnaire, amendment.question_id),
                "original": pdf.free_text(
                    answer_text(
                        questionnaire, question, amendment.original_state, amendment.original_value
                    )
                    if question is not None
                    else str(NOT_RECORDED)
                ),
                "corrected": pdf.free_text(
                    answer_text(questionnaire, question, amendment.new_state, amendment.new_value)
                    if question is not None
                    else str(NOT_RECORDED)
                ),
                "reason": pdf.free_text(amendment.reason),
                "by": amendment.amended_by.get_full_name(),
                "at": _when(amendment.amended_at),
            }
        )
    return made


def _declaration(interview: Interview) -> dict[str, Any] | None:
    declaration = (
        InterpreterDeclaration.objects.select_related("interpreter", "recorded_by")
        .filter(interview=interview)
        .first()
    )
    if declaration is None:
        return None
    return {
        "wording": declaration.wording,
        "interpreter": declaration.interpreter.full_name,
        "method": DeclarationMethod(declaration.method).label,
        "recorded_by": declaration.recorded_by.get_full_name()
        if declaration.method == DeclarationMethod.ORAL
        else "",
        "at": _when(declaration.declared_at),
    }


def _indicators(interview: Interview, numbers: dict[str, int]) -> list[dict[str, Any]]:
    """The vulnerability indicators this interview's answers raised, one per category, with the
    questions that raised it (the source reference is "interview:<id>:<question id>")."""
    prefix = f"interview:{interview.pk}:"
    raised: dict[str, list[int]] = {}
    for indicator in VulnerabilityIndicator.objects.filter(
        case_id=interview.case_id, source_reference__startswith=prefix
    ).order_by("recorded_at", "pk"):
        question_id = indicator.source_reference.removeprefix(prefix)
        found = raised.setdefault(indicator.category, [])
        if question_id in numbers and numbers[question_id] not in found:
            found.append(numbers[question_id])
    return [
        {
            "label": Category(category).label if category in Category.values else category,
            "questions": sorted(question_numbers),
            "questions_text": joined([str(number) for number in sorted(question_numbers)]),
        }
        for category, question_numbers in raised.items()
    ]


def _context(interview: Interview) -> dict[str, Any]:
    version = interview.questionnaire
    questionnaire = questionnaire_of(version)
    answers = answers_of(interview)
    read_back = interview.read_back_language
    amendments = list(Amendment.objects.filter(interview=interview).select_related("amended_by"))
    amended: dict[str, list[int]] = defaultdict(list)
    for index, amendment in enumerate(amendments, start=1):
        amended[amendment.question_id].append(index)
    sections, numbers = _sections(interview, questionnaire, answers, amended, read_back)
    interpreter = interview.interpreter
    return {
        "reference": interview.case.reference,
        "version": {
            "number": version.number,
            "published": long_date(version.published_at) if version.published_at else "",
        },
        "variant": Variant(interview.variant).label,
        "is_welfare": interview.variant == Variant.WELFARE,
        "started": _when(interview.started_at),
        "ended": _when(interview.ended_at),
        "mode": InterviewMode(interview.mode).label,
        "room": interview.room,
        "officer": interview.officer.get_full_name(),
        "interpreter": {
            "name": interpreter.full_name,
            "accreditation": interpreter.accreditation_reference,
        }
        if interpreter is not None
        else None,
        "language": language_name(interview.language),
        "dialect": interview.dialect,
        "language_confirmed": _when(interview.language_confirmed_at),
        "understanding_confirmed": _when(interview.understanding_confirmed_at),
        "responsible_adult": pdf.free_text(interview.responsible_adult)
        if interview.responsible_adult
        else None,
        "sections": sections,
        "amendments": _amendments(questionnaire, amendments, numbers),
        "declaration": _declaration(interview),
        "read_back": {
            "language": language_name(read_back),
            "method": READ_BACK_METHODS.get(interview.read_back_method, NOT_RECORDED),
            "started": _when(interview.read_back_started_at),
            "confirmed": _when(interview.read_back_confirmed_at),
        }
        if interview.read_back_started_at
        else None,
        "read_back_translated": bool(interview.read_back_started_at)
        and read_back not in ("", ENGLISH),
        "indicators": _indicators(interview, numbers),
    }


# --- Rendering, storing, reading back --------------------------------------------------------


def render_record(interview: Interview) -> bytes:
    """The PDF of an interview's record, in English, as the interview stands now."""
    with translation.override(ENGLISH):
        html = render_to_string(TEMPLATE, _context(interview))
        return pdf.render_pdf(html, stylesheets=STYLESHEETS)


def interview_record_store(interview: Interview) -> tuple[str, str]:
    """Render the record and store it privately: its storage name and SHA-256. Called inside
    the completion's transaction, which ``files_kept_only_on_commit`` wraps."""
    content = render_record(interview)
    return pdf.save_private_file(content, prefix=STORAGE_PREFIX), pdf.sha256_of(content)


def interview_record_content(interview: Interview) -> bytes:
    """The stored record, checked against the checksum taken when it was made; RecordDamaged
    when it is missing or changed."""
    return pdf.read_checked(
        interview.record_file,
        interview.record_sha256,
        damaged=RecordDamaged,
        what=f"interview {interview.pk}'s record",
    )


def interview_record_filename(interview: Interview) -> str:
    """The name a downloaded record is saved under: the case reference, nothing personal."""
    return f"interview-record-{interview.case.reference}-{interview.pk}.pdf"
