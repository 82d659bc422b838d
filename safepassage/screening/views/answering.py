"""Answering the questionnaire: a section's page (works without JavaScript), the autosave
endpoint its script uses for one question at a time, and the checks before the questions (the
applicant's confirmations and the interpreter's declaration made aloud).

A question never has a silent blank: each is answered, asked without an answer, declined, or
not asked with a reason. The section page saves only the questions the officer touched (chose
what happened, or typed an answer or a reason) and of those only what changed, all of them or,
if any is wrong, none, with every problem named.
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_time
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from safepassage.core import pdf
from safepassage.core.actors import request_actor
from safepassage.core.drf import error_body
from safepassage.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from safepassage.core.local_dates import current_locale
from safepassage.screening.forms import (
    AnswerFields,
    ConfirmLanguageForm,
    PostedAnswer,
    answer_fields,
    read_answer,
    service_entry,
)
from safepassage.screening.models import (
    Answer,
    AnswerState,
    Interview,
    InterviewStatus,
    Variant,
)
from safepassage.screening.questionnaire import (
    AnswerError,
    Question,
    Questionnaire,
    Section,
    clean_value,
)
from safepassage.screening.records import answer_text
from safepassage.screening.selectors import answers_of, interview_questions, questionnaire_of
from safepassage.screening.services.recording import (
    answer_record,
    answers_record,
    declaration_record_oral,
    language_confirm,
    understanding_confirm,
)
from safepassage.screening.views.common import (
    NOT_YOURS,
    can_record,
    error_items,
    heading,
    officer_interview,
    officer_page,
    reraise_refusal,
)
from safepassage.screening.views.interviews import overview_context

SAVE_AND_CONTINUE = "continue"
UNTOUCHED = gettext_lazy(
    "Say what happened with this question: answered, asked without an answer, declined, or "
    "not asked"
)


def _sections(questionnaire: Questionnaire, interview: Interview) -> list[Section]:
    return questionnaire.sections_for(welfare=interview.variant == Variant.WELFARE)


def _section_of(questionnaire: Questionnaire, interview: Interview, section_id: str) -> Section:
    for section in _sections(questionnaire, interview):
        if section.id == section_id:
            return section
    raise NotFound(_("This interview has no section like this."))


def _shown_in(interview: Interview, answers: dict[str, Answer], section_id: str) -> list[Question]:
    return [
        question
        for question in interview_questions(interview, answers)
        if question.section == section_id
    ]


def _translation(question: Question, language: str) -> dict[str, str] | None:
    """The question as the applicant hears it, when the questionnaire has it in their
    language."""
    own = question.text.get(language, "")
    if not own or language == "en" or own == question.text_in("en"):
        return None
    return {"text": own, "lang": language, "dir": pdf.language_direction(language)}


def _recorded(questionnaire: Questionnaire, question: Question, answer: Answer | None) -> str:
    if answer is None:
        return ""
    return answer_text(questionnaire, question, answer.state, answer.value, answer.not_asked_reason)


def _prefix(question: Question) -> str:
    return f"{question.id}-"


def question_rows(
    interview: Interview,
    questions: list[Question],
    answers: dict[str, Answer],
    *,
    posted: Any = None,
    errors: dict[str, list[str]] | None = None,
    problems: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    questionnaire = questionnaire_of(interview.questionnaire)
    errors = errors or {}
    problems = problems or {}
    rows = []
    for question in questions:
        fields = answer_fields(
            questionnaire,
            question,
            prefix=_prefix(question),
            answer=answers.get(question.id),
            posted=posted,
        )
        shown_errors = list(errors.get(question.id, []))
        if question.id in problems:
            shown_errors.insert(0, problems[question.id])
        rows.append(
            {
                "question": question,
                "text": question.text_in("en"),
                "translation": _translation(question, interview.language),
                "answer": answers.get(question.id),
                "answer_text": _recorded(questionnaire, question, answers.get(question.id)),
                "fields": fields,
                "errors": shown_errors,
                "autosave_url": reverse(
                    "screening:answer_save",
                    kwargs={"interview_id": interview.pk, "question_id": question.id},
                ),
            }
        )
    return rows


def _unchanged(
    questionnaire: Questionnaire, question: Question, posted: PostedAnswer, answer: Answer | None
) -> bool:
    """Whether a posted answer is the one already recorded (saving it again would only add
    a record of a change that did not happen)."""
    if answer is None or posted.state != answer.state:
        return False
    if posted.state == AnswerState.ANSWERED:
        try:
            return bool(clean_value(questionnaire, question, posted.value) == answer.value)
        except AnswerError:
            return False
    if posted.state == AnswerState.NOT_ASKED:
        return " ".join(posted.reason.split()) == answer.not_asked_reason
    return True


def _anchor(fields: AnswerFields) -> str:
    """Where an error summary link lands: the reason of a question not asked, else the answer."""
    not_asked = any(
        option["checked"] and option["value"] == AnswerState.NOT_ASKED for option in fields.states
    )
    return fields.reason_id if not_asked else fields.first_input_id


def _next_section_url(questionnaire: Questionnaire, interview: Interview, section: Section) -> str:
    """The next section with a question shown, or the overview after the last."""
    answers = answers_of(interview)
    shown = {question.section for question in interview_questions(interview, answers)}
    sections = _sections(questionnaire, interview)
    later = sections[[item.id for item in sections].index(section.id) + 1 :]
    for candidate in later:
        if candidate.id in shown:
            return reverse(
                "screening:section",
                kwargs={"interview_id": interview.pk, "section_id": candidate.id},
            )
    return reverse("screening:interview", kwargs={"interview_id": interview.pk})


def _section_page(
    request: HttpRequest,
    interview: Interview,
    section: Section,
    *,
    posted: Any = None,
    errors: dict[str, list[str]] | None = None,
    problems: dict[str, str] | None = None,
    page_problem: str = "",
    status: int = 200,
) -> HttpResponse:
    questionnaire = questionnaire_of(interview.questionnaire)
    answers = answers_of(interview)
    questions = _shown_in(interview, answers, section.id)
    rows = question_rows(
        interview, questions, answers, posted=posted, errors=errors, problems=problems
    )
    sections = _sections(questionnaire, interview)
    index = [item.id for item in sections].index(section.id)
    summary = [
        {"text": message, "href": f"#{_anchor(row['fields'])}"}
        for row in rows
        for message in row["errors"]
    ]
    if page_problem:
        summary.insert(0, {"text": page_problem, "href": ""})
    context = heading(request, interview)
    context.update(
        {
            "section": section,
            "section_title": section.title_in("en"),
            "section_number": index + 1,
            "section_count": len(sections),
            "previous_section": sections[index - 1] if index > 0 else None,
            "next_section": sections[index + 1] if index + 1 < len(sections) else None,
            "rows": rows,
            "problems": summary,
            "editable": can_record(request, interview) and interview.read_back_started_at is None,
        }
    )
    return render(request, "screening/interview/section.html", context, status=status)


@require_http_methods(["GET", "POST"])
@officer_page
def section_view(request: HttpRequest, interview: Interview, section_id: str) -> HttpResponse:
    questionnaire = questionnaire_of(interview.questionnaire)
    section = _section_of(questionnaire, interview, section_id)
    if request.method == "GET":
        return _section_page(request, interview, section)
    if interview.officer_id != request_actor(request).pk:
        raise PermissionDenied(NOT_YOURS)
    if interview.status != InterviewStatus.IN_PROGRESS:
        return _section_page(
            request,
            interview,
            section,
            page_problem=_("This interview is “%(status)s”: it cannot be changed.")
            % {"status": InterviewStatus(interview.status).label},
            status=409,
        )
    answers = answers_of(interview)
    shown = _shown_in(interview, answers, section.id)
    posted = {
        question.id: read_answer(question, request.POST, _prefix(question)) for question in shown
    }
    problems = {ident: answer.problem for ident, answer in posted.items() if answer.problem}
    if problems:
        return _section_page(
            request, interview, section, posted=request.POST, problems=problems, status=400
        )
    entries = [
        service_entry(question, posted[question.id])
        for question in shown
        if posted[question.id].touched
        and not _unchanged(questionnaire, question, posted[question.id], answers.get(question.id))
    ]
    if entries:
        try:
            answers_record(actor=request_actor(request), interview=interview, entries=entries)
        except ValidationFailed as error:
            return _section_page(
                request,
                interview,
                section,
                posted=request.POST,
                errors=error.field_errors(),
                status=error.http_status,
            )
        except DomainError as error:
            reraise_refusal(error)
            return _section_page(
                request,
                interview,
                section,
                posted=request.POST,
                page_problem=str(error.message),
                status=error.http_status,
            )
    before = {question.id for question in shown}
    appeared = [
        question
        for question in _shown_in(interview, answers_of(interview), section.id)
        if question.id not in before
    ]
    here = reverse(
        "screening:section", kwargs={"interview_id": interview.pk, "section_id": section.id}
    )
    if appeared:
        messages.info(
            request,
            _("Your answers are saved. They lead to more questions in this section: ask them now."),
        )
        return redirect(f"{here}#q-{appeared[0].id}")
    if request.POST.get("action") == SAVE_AND_CONTINUE:
        if entries:
            messages.success(request, _("Your answers are saved."))
        return redirect(_next_section_url(questionnaire, interview, section))
    messages.success(
        request, _("Your answers are saved.") if entries else _("No answer has changed.")
    )
    return redirect(here)


# --- Autosave: one question, answered by the page's script -----------------------------------


def _json_error(error: DomainError) -> JsonResponse:
    fields = error.field_errors()
    if list(fields) == ["__all__"]:
        fields = {}
    return JsonResponse(
        error_body(error.code, str(error.message), fields), status=error.http_status
    )


def _saved_at(answer: Answer) -> str:
    local = timezone.localtime(answer.recorded_at)
    return _("Saved at %(time)s") % {"time": format_time(local, "short", locale=current_locale())}


@require_http_methods(["POST"])
def answer_save(request: HttpRequest, interview_id: int, question_id: str) -> JsonResponse:
    """Save one answer; JSON in reply. ``reload`` says the section now shows other questions."""
    try:
        interview = officer_interview(request, interview_id)
        questionnaire = questionnaire_of(interview.questionnaire)
        question = questionnaire.questions.get(question_id)
        if question is None:
            raise NotFound(_("This question is not in the questionnaire."))
        posted = read_answer(question, request.POST)
        if posted.problem:
            raise ValidationFailed(posted.problem, field=question.id)
        if not posted.touched:
            raise ValidationFailed(UNTOUCHED, field=question.id)
        before = [item.id for item in _shown_in(interview, answers_of(interview), question.section)]
        answer = answer_record(
            actor=request_actor(request), interview=interview, **service_entry(question, posted)
        )
    except DomainError as error:
        return _json_error(error)
    after = [item.id for item in _shown_in(interview, answers_of(interview), question.section)]
    return JsonResponse(
        {
            "saved": True,
            "question": question.id,
            "state": answer.state,
            "saved_at": answer.recorded_at.isoformat(),
            "message": _saved_at(answer),
            "reload": before != after,
        }
    )


# --- Before the questions: confirmations and the declaration made aloud ----------------------


def _overview_again(
    request: HttpRequest,
    interview: Interview,
    *,
    error: DomainError | None = None,
    language_form: ConfirmLanguageForm | None = None,
    status: int = 400,
) -> HttpResponse:
    context = overview_context(request, interview)
    if language_form is not None:
        context["language_form"] = language_form
    if error is not None:
        context["problems"] = error_items(error, {"language": "#id_language"})
        if language_form is not None and "language" in error.field_errors():
            for message in error.field_errors()["language"]:
                language_form.add_error("language", message)
            context["problems"] = []
    return render(request, "screening/interview/overview.html", context, status=status)


def _to_checks(interview: Interview) -> HttpResponse:
    return redirect(
        reverse("screening:interview", kwargs={"interview_id": interview.pk}) + "#before"
    )


@require_http_methods(["POST"])
@officer_page
def confirm_language(request: HttpRequest, interview: Interview) -> HttpResponse:
    form = ConfirmLanguageForm(request.POST, extra=[interview.language])
    if not form.is_valid():
        return _overview_again(request, interview, language_form=form)
    try:
        language_confirm(
            actor=request_actor(request),
            interview=interview,
            language=form.cleaned_data["language"],
            dialect=form.cleaned_data["dialect"],
        )
    except DomainError as error:
        reraise_refusal(error)
        return _overview_again(
            request, interview, error=error, language_form=form, status=error.http_status
        )
    messages.success(request, _("The applicant confirmed the language and dialect."))
    return _to_checks(interview)


@require_http_methods(["POST"])
@officer_page
def confirm_understanding(request: HttpRequest, interview: Interview) -> HttpResponse:
    try:
        understanding_confirm(actor=request_actor(request), interview=interview)
    except DomainError as error:
        reraise_refusal(error)
        return _overview_again(request, interview, error=error, status=error.http_status)
    messages.success(request, _("The applicant confirmed they understand the interpreter."))
    return _to_checks(interview)


@require_http_methods(["POST"])
@officer_page
def declaration_oral(request: HttpRequest, interview: Interview) -> HttpResponse:
    try:
        declaration_record_oral(actor=request_actor(request), interview=interview)
    except DomainError as error:
        reraise_refusal(error)
        return _overview_again(request, interview, error=error, status=error.http_status)
    messages.success(request, _("The interpreter's declaration, made aloud, is recorded."))
    return _to_checks(interview)
