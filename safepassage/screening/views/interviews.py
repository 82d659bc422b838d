"""The screening interview's own pages: starting it, its overview, completing it, adjourning
it, reporting a concern about the interpreter, and its record.

Starting and completing are consequential: both pages show what the gate sees and what it
would say before the officer acts, and a block is shown with its rules and their law.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.applications.views.documents import private_file_headers
from safepassage.cases.facts import case_facts
from safepassage.cases.models import AsylumCase, CaseStatus, Stage
from safepassage.cases.selectors import case_get
from safepassage.cases.services import require_allocated, require_separate_steps
from safepassage.core.actors import request_actor
from safepassage.core.errors import DomainError, NotFound
from safepassage.core.models import User
from safepassage.core.views.helpers import add_domain_error
from safepassage.policy.display import facts_rows
from safepassage.policy.services import PolicyBlocked, london_today
from safepassage.safeguarding.models import Category, EvidenceLevel
from safepassage.screening.facts import ASKED, interview_facts, missing_mandatory
from safepassage.screening.forms import (
    NO_INTERPRETER,
    AdjournForm,
    ConcernForm,
    ConfirmLanguageForm,
    StartForm,
    interpreter_languages_text,
)
from safepassage.screening.models import Interview, InterviewStatus, Variant
from safepassage.screening.questionnaire import raised_categories
from safepassage.screening.records import (
    RecordDamaged,
    interview_record_content,
    interview_record_filename,
)
from safepassage.screening.selectors import (
    answered_values,
    answers_of,
    interpreters,
    interview_questions,
    questionnaire_of,
)
from safepassage.screening.services.interviews import (
    interview_adjourn,
    interview_complete,
    interview_start,
)
from safepassage.screening.services.recording import DECLARATION, concern_report
from safepassage.screening.views.common import (
    blocked_verdict,
    error_items,
    heading,
    officer_page,
    reraise_refusal,
    screening_officer,
    spread_error,
    verdict_preview,
)
from safepassage.workforce.selectors import accreditations_held

SCREENING_ACCREDITATION = "screening"
CHILD_ACCREDITATION = "child_interviews"

logger = logging.getLogger(__name__)


# --- Starting --------------------------------------------------------------------------------


def _start_facts(
    case: AsylumCase, officer: User, *, interpreter_used: bool, responsible_adult: bool
) -> dict[str, Any]:
    """The facts ``interview_start`` gives the gate, for the details as entered so far."""
    screening = {
        "status": "not_started",
        "interpreter_used": interpreter_used,
        "responsible_adult_present": responsible_adult,
        "interpreter_is_recorder": False,
        "officer_accreditations": sorted(accreditations_held(holder=officer, on=london_today())),
    }
    return case_facts(case, on=london_today(), screening=screening)


def _start_obstacle(case: AsylumCase, officer: User) -> str:
    """Why this officer cannot start this case's interview, before they fill in the form."""
    if case.status != CaseStatus.SCREENING_SCHEDULED:
        return _(
            "This case is “%(status)s”. A screening interview starts only when the case is "
            "scheduled for one."
        ) % {"status": CaseStatus(case.status).label}
    try:
        require_allocated(case, officer, Stage.SCREENING)
        require_separate_steps(case, officer, Stage.SCREENING)
    except DomainError as error:
        return str(error.message)
    return ""


def _start_page(
    request: HttpRequest,
    case: AsylumCase,
    form: StartForm,
    *,
    problems: list[dict[str, str]] | None = None,
    blocked: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    officer = request_actor(request)
    data = form.data if form.is_bound else {}
    facts = _start_facts(
        case,
        officer,
        interpreter_used=data.get("interpreter", NO_INTERPRETER) not in ("", NO_INTERPRETER),
        responsible_adult=bool(str(data.get("responsible_adult", "")).strip()),
    )
    context = {
        "case": case,
        "form": form,
        "problems": problems or [],
        "obstacle": _start_obstacle(case, officer),
        "in_progress": case.interviews.filter(status=InterviewStatus.IN_PROGRESS).first(),
        "gate_facts_rows": facts_rows(facts),
        "verdict": blocked or verdict_preview("start_screening_interview", facts),
        "interpreters": [
            {"person": person, "languages": interpreter_languages_text(person)}
            for person in form.interpreters.values()
        ],
    }
    return render(request, "screening/interview/start.html", context, status=status)


@require_http_methods(["GET", "POST"])
def interview_start_view(request: HttpRequest, case_id: int) -> HttpResponse:
    officer = screening_officer(request)
    case = case_get(actor=officer, case_id=case_id, purpose="interview")
    active = interpreters(actor=officer, active_only=True)
    if request.method == "GET":
        form = StartForm(interpreters=active, is_child=case.is_child)
        return _start_page(request, case, form)
    form = StartForm(request.POST, interpreters=active, is_child=case.is_child)
    running = case.interviews.filter(status=InterviewStatus.IN_PROGRESS).first()
    if running is not None:
        # A second press of the button, or another tab: the interview is already under way.
        return redirect("screening:interview", interview_id=running.pk)
    if not form.is_valid():
        return _start_page(request, case, form, status=400)
    try:
        interview = interview_start(actor=officer, case=case, **form.service_values())
    except PolicyBlocked as blocked:
        return _start_page(
            request,
            case,
            form,
            problems=error_items(blocked),
            blocked=blocked_verdict(blocked),
            status=blocked.http_status,
        )
    except DomainError as error:
        reraise_refusal(error)
        add_domain_error(form, error)
        return _start_page(request, case, form, status=error.http_status)
    messages.success(request, _("The interview has started. Begin with the checks below."))
    return redirect("screening:interview", interview_id=interview.pk)


# --- The overview ----------------------------------------------------------------------------


def section_progress(interview: Interview) -> list[dict[str, Any]]:
    """Each section of the interview's variant with its questions shown, how many of its
    mandatory ones were asked, and how many have anything recorded."""
    questionnaire = questionnaire_of(interview.questionnaire)
    answers = answers_of(interview)
    shown = interview_questions(interview, answers)
    rows = []
    for section in questionnaire.sections_for(welfare=interview.variant == Variant.WELFARE):
        questions = [question for question in shown if question.section == section.id]
        mandatory = [question for question in questions if question.mandatory]
        asked = [
            question
            for question in mandatory
            if question.id in answers and answers[question.id].state in ASKED
        ]
        recorded = [question for question in questions if question.id in answers]
        if not questions:
            status = "none"
        elif len(asked) == len(mandatory) and len(recorded) == len(questions):
            status = "done"
        elif recorded:
            status = "started"
        else:
            status = "to_do"
        rows.append(
            {
                "section": section,
                "title": section.title_in("en"),
                "status": status,
                "shown": len(questions),
                "mandatory": len(mandatory),
                "asked": len(asked),
                "recorded": len(recorded),
            }
        )
    return rows


def overview_context(request: HttpRequest, interview: Interview) -> dict[str, Any]:
    context = heading(request, interview)
    declaration = getattr(interview, "interpreter_declaration", None)
    context.update(
        {
            "sections": section_progress(interview),
            "declaration": declaration,
            "declaration_wording": DECLARATION,
            "language_form": ConfirmLanguageForm(
                initial={"language": interview.language, "dialect": interview.dialect},
                extra=[interview.language],
            ),
            "problems": [],
        }
    )
    return context


@require_http_methods(["GET"])
@officer_page
def interview_overview(request: HttpRequest, interview: Interview) -> HttpResponse:
    return render(
        request, "screening/interview/overview.html", overview_context(request, interview)
    )


# --- Completing ------------------------------------------------------------------------------


def _completion_facts(interview: Interview) -> tuple[dict[str, Any], list[str]]:
    """What ``complete_screening`` will see: the case's facts, this interview's, and the
    vulnerabilities the answers raise (completing records them before it asks the gate)."""
    today = london_today()
    case = interview.case
    facts = case_facts(case, on=today, screening=interview_facts(interview))
    raised = sorted(
        raised_categories(
            questionnaire_of(interview.questionnaire),
            answered_values(answers_of(interview)),
            today,
        )
    )
    held = {item["category"] for item in facts["vulnerabilities"]}
    for category in raised:
        if category not in held:
            facts["vulnerabilities"].append(
                {"category": category, "evidence_level": int(EvidenceLevel.SELF_DECLARED)}
            )
    facts["vulnerabilities"].sort(key=lambda item: (item["category"], item["evidence_level"]))
    if "pregnancy" in raised:
        facts["person"]["pregnant"] = True
    return facts, raised


def _checklist(interview: Interview) -> list[dict[str, Any]]:
    """Everything completing needs, each done or named as missing, with where to fix it."""
    facts = interview_facts(interview)
    child = interview.variant == Variant.WELFARE or interview.case.is_child
    held = set(facts["officer_accreditations"])
    missing = missing_mandatory(interview)
    by_section = []
    for section in questionnaire_of(interview.questionnaire).sections:
        questions = [
            {"question": question, "text": question.text_in("en")}
            for question in missing
            if question.section == section.id
        ]
        if questions:
            by_section.append({"title": section.title_in("en"), "questions": questions})
    items: list[dict[str, Any]] = [
        {
            "key": "questions",
            "label": _("Every mandatory question asked"),
            "done": not missing,
            "missing": by_section,
        },
        {
            "key": "language",
            "label": _("The applicant confirmed the language and dialect"),
            "done": facts["language_confirmed"],
            "fix": "before",
        },
    ]
    if interview.uses_interpreter:
        items += [
            {
                "key": "understanding",
                "label": _("The applicant confirmed they understand the interpreter"),
                "done": facts["understanding_confirmed"],
                "fix": "before",
            },
            {
                "key": "declaration",
                "label": _("The interpreter's declaration"),
                "done": facts["interpreter_declaration"],
                "fix": "before",
            },
        ]
    items += [
        {
            "key": "read_back",
            "label": _("The record read back and confirmed by the applicant"),
            "done": facts["read_back_confirmed"],
            "fix": "read_back",
        },
        {
            "key": "accreditation",
            "label": _("You hold a screening accreditation in date"),
            "done": SCREENING_ACCREDITATION in held,
            "fix": "manager",
        },
    ]
    if child:
        items += [
            {
                "key": "child_accreditation",
                "label": _("You are accredited to interview children"),
                "done": CHILD_ACCREDITATION in held,
                "fix": "manager",
            },
            {
                "key": "responsible_adult",
                "label": _("A responsible adult is present"),
                "done": facts["responsible_adult_present"],
                "fix": "adjourn",
            },
        ]
    items.append(
        {
            "key": "recorder",
            "label": _("The interpreter did not record any answer"),
            "done": not facts["interpreter_is_recorder"],
            "fix": "concern",
        }
    )
    return items


def _complete_page(
    request: HttpRequest,
    interview: Interview,
    *,
    problems: list[dict[str, str]] | None = None,
    blocked: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = heading(request, interview)
    if interview.status == InterviewStatus.IN_PROGRESS:
        facts, raised = _completion_facts(interview)
        checklist = _checklist(interview)
        context.update(
            {
                "checklist": checklist,
                "all_done": all(item["done"] for item in checklist),
                "gate_facts_rows": facts_rows(facts),
                "raised": [Category(code).label for code in raised if code in Category.values],
                "verdict": blocked or verdict_preview("complete_screening", facts),
            }
        )
    context["problems"] = problems or []
    return render(request, "screening/interview/complete.html", context, status=status)


@require_http_methods(["GET", "POST"])
@officer_page
def interview_complete_view(request: HttpRequest, interview: Interview) -> HttpResponse:
    if request.method == "GET":
        return _complete_page(request, interview)
    try:
        interview_complete(actor=request_actor(request), interview=interview)
    except PolicyBlocked as blocked:
        return _complete_page(
            request,
            interview,
            problems=error_items(blocked),
            blocked=blocked_verdict(blocked),
            status=blocked.http_status,
        )
    except DomainError as error:
        reraise_refusal(error)
        return _complete_page(
            request, interview, problems=error_items(error), status=error.http_status
        )
    messages.success(
        request,
        _("The screening interview is complete. Its record is stored and can be downloaded."),
    )
    return redirect("screening:interview", interview_id=interview.pk)


# --- Adjourning, concerns, the record --------------------------------------------------------


@require_http_methods(["GET", "POST"])
@officer_page
def interview_adjourn_view(request: HttpRequest, interview: Interview) -> HttpResponse:
    form = AdjournForm(request.POST or None)
    problems: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                interview_adjourn(
                    actor=request_actor(request),
                    interview=interview,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                reraise_refusal(error)
                status = error.http_status
                problems = spread_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The interview is adjourned and kept as it is. The case is scheduled "
                        "again, for a new interview."
                    ),
                )
                return redirect("cases:case", case_id=interview.case_id)
    context = heading(request, interview)
    context.update({"form": form, "problems": problems})
    return render(request, "screening/interview/adjourn.html", context, status=status)


@require_http_methods(["GET", "POST"])
@officer_page
def concern_view(request: HttpRequest, interview: Interview) -> HttpResponse:
    form = ConcernForm(request.POST or None)
    problems: list[dict[str, str]] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                concern_report(
                    actor=request_actor(request),
                    interview=interview,
                    kind=form.cleaned_data["kind"],
                    details=form.cleaned_data["details"],
                )
            except DomainError as error:
                reraise_refusal(error)
                status = error.http_status
                problems = spread_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your concern is recorded and has gone to quality assurance."),
                )
                return redirect("screening:interview", interview_id=interview.pk)
    context = heading(request, interview)
    context.update({"form": form, "problems": problems})
    return render(request, "screening/interview/concern.html", context, status=status)


@require_http_methods(["GET"])
@officer_page
def interview_record(request: HttpRequest, interview: Interview) -> HttpResponse:
    """The stored record of a completed interview, as a download; never cached."""
    if interview.status != InterviewStatus.COMPLETED or not interview.record_file:
        raise NotFound(_("This interview has no record yet: it is made when it is completed."))
    try:
        content = interview_record_content(interview)
    except RecordDamaged as damaged:
        logger.error("interview record unreadable: %s", damaged)  # ids only
        messages.error(
            request,
            _(
                "The stored record of this interview is missing or has been changed, so it is "
                "not shown. Tell the service team; the event is logged."
            ),
        )
        return redirect("screening:interview", interview_id=interview.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{interview_record_filename(interview)}"'
    )
    response["Content-Length"] = str(len(content))
    private_file_headers(response, framed=False, sandboxed_policy="default-src 'none'; sandbox")
    return response
