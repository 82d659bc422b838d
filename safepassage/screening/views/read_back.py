"""The read-back: the record read aloud (or shown) to the applicant in their language, each
correction recorded as an amendment with its reason and the original kept, and the
applicant's confirmation of the record."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.core import pdf
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, NotFound, ValidationFailed
from safepassage.core.views.helpers import add_domain_error
from safepassage.screening.forms import (
    AMENDMENT_REASON,
    ReadBackForm,
    answer_fields,
    interview_language_name,
    read_answer,
)
from safepassage.screening.models import Amendment, Answer, AnswerState, Interview
from safepassage.screening.questionnaire import Question, Questionnaire, display_value
from safepassage.screening.records import answer_text
from safepassage.screening.selectors import answers_of, interview_questions, questionnaire_of
from safepassage.screening.services.recording import (
    answer_amend,
    read_back_confirm,
    read_back_start,
)
from safepassage.screening.views.common import (
    can_record,
    error_items,
    heading,
    officer_page,
    reraise_refusal,
)

ENGLISH = "en"


def _in_language(text: str, language: str) -> dict[str, str]:
    return {"text": text, "lang": language, "dir": pdf.language_direction(language)}


def _answer_shown(
    questionnaire: Questionnaire, question: Question, answer: Answer | None, language: str
) -> dict[str, Any]:
    """An answer in English, and in the read-back language where it reads differently there
    (a yes or no, a choice, a country; typed text is as it was said)."""
    if answer is None:
        return {"english": answer_text(questionnaire, question, "", None), "own": None}
    english = answer_text(
        questionnaire, question, answer.state, answer.value, answer.not_asked_reason
    )
    own = None
    if answer.state == AnswerState.ANSWERED and language and language != ENGLISH:
        translated = display_value(questionnaire, question, answer.value, language)
        if translated and translated != english:
            own = _in_language(translated, language)
    return {"english": english, "own": own}


def _amendments(
    questionnaire: Questionnaire, interview: Interview
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    made = []
    by_question: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for amendment in Amendment.objects.filter(interview=interview).select_related("amended_by"):
        question = questionnaire.questions.get(amendment.question_id)
        if question is None:
            continue
        row = {
            "amendment": amendment,
            "question": question.text_in(ENGLISH),
            "question_id": question.id,
            "original": answer_text(
                questionnaire, question, amendment.original_state, amendment.original_value
            ),
            "corrected": answer_text(
                questionnaire, question, amendment.new_state, amendment.new_value
            ),
        }
        made.append(row)
        by_question[question.id].append(row)
    return made, by_question


def _read_back_page(
    request: HttpRequest,
    interview: Interview,
    *,
    form: ReadBackForm | None = None,
    failed_question: str = "",
    errors: dict[str, list[str]] | None = None,
    problems: list[dict[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    questionnaire = questionnaire_of(interview.questionnaire)
    answers = answers_of(interview)
    language = interview.read_back_language
    amendments, amended = _amendments(questionnaire, interview)
    errors = errors or {}
    sections = []
    shown = interview_questions(interview, answers)
    for section in questionnaire.sections:
        questions = [question for question in shown if question.section == section.id]
        if not questions:
            continue
        rows = []
        for question in questions:
            prefix = f"{question.id}-"
            failed = question.id == failed_question
            own_text = question.text.get(language, "") if language else ""
            rows.append(
                {
                    "question": question,
                    "text": question.text_in(ENGLISH),
                    "translation": _in_language(own_text, language)
                    if own_text and language != ENGLISH
                    else None,
                    "answer": _answer_shown(
                        questionnaire, question, answers.get(question.id), language
                    ),
                    "amendments": amended.get(question.id, []),
                    "fields": answer_fields(
                        questionnaire,
                        question,
                        prefix=prefix,
                        answer=answers.get(question.id),
                        posted=request.POST if failed else None,
                    ),
                    "failed": failed,
                    "errors": errors.get(question.id, []) if failed else [],
                    "reason_errors": errors.get("reason", []) if failed else [],
                    "reason_name": f"{prefix}{AMENDMENT_REASON}",
                    "reason_value": request.POST.get(f"{prefix}{AMENDMENT_REASON}", "")
                    if failed
                    else "",
                }
            )
        title = section.title_in(ENGLISH)
        own_title = section.title.get(language, "") if language else ""
        sections.append(
            {
                "title": title,
                "translation": _in_language(own_title, language)
                if own_title and own_title != title
                else None,
                "rows": rows,
            }
        )
    context = heading(request, interview)
    started = interview.read_back_started_at is not None
    confirmed = interview.read_back_confirmed_at is not None
    editable = can_record(request, interview)
    context.update(
        {
            "form": form
            or ReadBackForm(
                languages=questionnaire.languages,
                initial={
                    "language": language or interview.language,
                    "method": interview.read_back_method,
                },
            ),
            "started": started,
            "confirmed": confirmed,
            "can_choose": editable and not confirmed,
            "can_amend": editable and started and not confirmed,
            "read_back_language": interview_language_name(language) if language else "",
            "read_back_lang": language,
            "sections": sections,
            "amendments": amendments,
            "problems": problems or [],
        }
    )
    return render(request, "screening/interview/read_back.html", context, status=status)


@require_http_methods(["GET", "POST"])
@officer_page
def read_back_view(request: HttpRequest, interview: Interview) -> HttpResponse:
    """The record to read back; a POST chooses (or changes) its language and how it is read."""
    if request.method == "GET":
        return _read_back_page(request, interview)
    languages = questionnaire_of(interview.questionnaire).languages
    form = ReadBackForm(request.POST, languages=languages)
    if not form.is_valid():
        return _read_back_page(request, interview, form=form, status=400)
    try:
        read_back_start(
            actor=request_actor(request),
            interview=interview,
            language=form.cleaned_data["language"],
            method=form.cleaned_data["method"],
        )
    except DomainError as error:
        reraise_refusal(error)
        add_domain_error(form, error)
        return _read_back_page(request, interview, form=form, status=error.http_status)
    messages.success(
        request,
        _(
            "Read the record back now. From here on, an answer changes only as a correction, "
            "with its reason; the original is kept."
        ),
    )
    return redirect("screening:read_back", interview_id=interview.pk)


@require_http_methods(["POST"])
@officer_page
def amend_view(request: HttpRequest, interview: Interview, question_id: str) -> HttpResponse:
    questionnaire = questionnaire_of(interview.questionnaire)
    question = questionnaire.questions.get(question_id)
    if question is None:
        raise NotFound(_("This question is not in the questionnaire."))
    prefix = f"{question.id}-"
    posted = read_answer(question, request.POST, prefix)
    anchors = {
        question.id: f"#{prefix}value" if question.type != "date" else f"#{prefix}value-day",
        "reason": f"#{prefix}{AMENDMENT_REASON}",
    }
    try:
        if posted.problem:
            raise ValidationFailed(posted.problem, field=question.id)
        if not posted.touched:
            raise ValidationFailed(
                _("Choose what the correct record of this question is"), field=question.id
            )
        answer_amend(
            actor=request_actor(request),
            interview=interview,
            question_id=question.id,
            state=posted.state,
            value=posted.value if posted.state == AnswerState.ANSWERED else None,
            not_asked_reason=posted.reason,
            reason=str(request.POST.get(f"{prefix}{AMENDMENT_REASON}") or ""),
        )
    except DomainError as error:
        reraise_refusal(error)
        return _read_back_page(
            request,
            interview,
            failed_question=question.id,
            errors=error.field_errors(),
            problems=error_items(error, anchors),
            status=error.http_status,
        )
    messages.success(
        request, _("The correction is recorded, with its reason. The original answer is kept.")
    )
    return redirect(
        reverse("screening:read_back", kwargs={"interview_id": interview.pk}) + f"#q-{question.id}"
    )


@require_http_methods(["POST"])
@officer_page
def read_back_confirm_view(request: HttpRequest, interview: Interview) -> HttpResponse:
    try:
        read_back_confirm(actor=request_actor(request), interview=interview)
    except DomainError as error:
        reraise_refusal(error)
        return _read_back_page(
            request, interview, problems=error_items(error), status=error.http_status
        )
    messages.success(request, _("The applicant has confirmed the record."))
    return redirect("screening:complete", interview_id=interview.pk)
