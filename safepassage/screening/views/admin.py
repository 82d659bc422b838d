"""Administration of screening: the national questionnaire's versions (administrators) and the
interpreters' register (administrators and location managers).

Every write is one service call; a refusal is shown with the GOV.UK error summary, and a
published version, which never changes, answers 409 to any attempt to change it.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.core.actors import request_actor
from safepassage.core.countries import country_name
from safepassage.core.errors import Conflict, DomainError
from safepassage.core.models import User
from safepassage.core.roles import Perm, Role
from safepassage.core.selectors import user_list
from safepassage.core.views.helpers import add_domain_error, permission_required
from safepassage.policy.services import london_today
from safepassage.safeguarding.models import Category
from safepassage.screening import questionnaire as questionnaire_module
from safepassage.screening import selectors
from safepassage.screening.admin_forms import DefinitionForm, InterpreterForm, language_name
from safepassage.screening.models import Interpreter, QuestionnaireVersion, VersionStatus
from safepassage.screening.questionnaire import (
    Condition,
    DefinitionError,
    Question,
    Questionnaire,
    Raises,
)
from safepassage.screening.services.interpreters import interpreter_add, interpreter_update
from safepassage.screening.services.questionnaires import (
    questionnaire_draft_save,
    questionnaire_publish,
    read_definition,
)

QUESTION_TYPES = {
    "text": gettext_lazy("Short text"),
    "long_text": gettext_lazy("Long text"),
    "yes_no": gettext_lazy("Yes or no"),
    "choice": gettext_lazy("One choice from a list"),
    "date": gettext_lazy("Date"),
    "country": gettext_lazy("Country"),
    "country_list": gettext_lazy("List of countries"),
    "language": gettext_lazy("Language"),
}
PUBLISHED_CANNOT_CHANGE = gettext_lazy(
    "A published version cannot be changed. Start a new draft from it."
)
ALREADY_PUBLISHED = gettext_lazy("This version is already published.")


# --- The questionnaire's versions ----------------------------------------------------------


def _counts(definition: Any) -> tuple[int, int]:
    """Sections and questions of a stored definition, read without parsing it."""
    sections = definition.get("sections") if isinstance(definition, dict) else None
    if not isinstance(sections, list):
        return 0, 0
    questions = sum(
        len(section.get("questions") or [])
        for section in sections
        if isinstance(section, dict) and isinstance(section.get("questions"), list)
    )
    return len(sections), questions


def _list_page(
    request: HttpRequest, *, problem: str | None = None, status: int = 200
) -> HttpResponse:
    rows = []
    has_current = False
    for version in selectors.versions(actor=request_actor(request)):
        sections, questions = _counts(version.definition)
        has_current = has_current or version.status == VersionStatus.CURRENT
        rows.append({"version": version, "sections": sections, "questions": questions})
    return render(
        request,
        "screening/admin/questionnaire_list.html",
        {"rows": rows, "has_current": has_current, "problem": problem},
        status=status,
    )


@require_http_methods(["GET"])
@permission_required(Perm.MANAGE_QUESTIONNAIRE)
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


def _starting_definition() -> dict[str, Any]:
    """What a new draft starts from: the current version, or with none published, the newest
    questionnaire shipped with the service."""
    try:
        current = selectors.current_version()
    except Conflict:
        shipped = questionnaire_module.shipped_versions()
        if not shipped:
            raise Conflict(
                gettext_lazy(
                    "There is no current version and no questionnaire ships with this copy of "
                    "the service, so there is nothing to start a draft from."
                ),
                code="nothing_to_copy",
            ) from None
        return questionnaire_module.load_directory(shipped[-1])
    return copy.deepcopy(current.definition)


@require_http_methods(["POST"])
@permission_required(Perm.MANAGE_QUESTIONNAIRE)
def questionnaire_new(request: HttpRequest) -> HttpResponse:
    try:
        draft = questionnaire_draft_save(
            actor=request_actor(request), definition=_starting_definition()
        )
    except DomainError as error:
        return _list_page(request, problem=str(error.message), status=error.http_status)
    messages.success(request, _("A new draft has been started. Change it, then publish it."))
    return redirect("screening:questionnaire_edit", version_id=draft.pk)


def _answer_words(questionnaire: Questionnaire, question: Question, value: Any) -> str:
    if question.type == "yes_no":
        return _("Yes") if value else _("No")
    if question.type == "choice":
        return f"\u2068{questionnaire.choice_label(question, str(value), 'en')}\u2069"
    return str(value)


def _category(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code


def _condition_words(questionnaire: Questionnaire, condition: Condition) -> str:
    if condition.any_of:
        return f" {_('or')} ".join(
            _condition_words(questionnaire, item) for item in condition.any_of
        )
    if condition.raised is not None:
        return _("an earlier answer raises “%(category)s”") % {
            "category": _category(condition.raised)
        }
    target = questionnaire.questions.get(condition.question or "")
    if target is None:
        return str(condition.question)
    return _("“%(question)s” is %(value)s") % {
        # The question is in English whatever the page's language: isolated, so that its
        # punctuation stays where it belongs on a right-to-left page.
        "question": f"\u2068{target.text_in('en')}\u2069",
        "value": _answer_words(questionnaire, target, condition.equals),
    }


def _raises_words(raises: Raises) -> str:
    category = _category(raises.category)
    if raises.when_any_of:
        language = get_language() or "en"
        countries = ", ".join(sorted(country_name(code, language) for code in raises.when_any_of))
        return _("%(category)s, when the countries include any of: %(countries)s") % {
            "category": category,
            "countries": countries,
        }
    if raises.when_age_at_least is not None:
        return _("%(category)s, when the person is %(age)s or older") % {
            "category": category,
            "age": raises.when_age_at_least,
        }
    if raises.when == "answered":
        return _("%(category)s, when answered") % {"category": category}
    return _("%(category)s, when the answer is %(answer)s") % {
        "category": category,
        "answer": _("Yes") if raises.when else _("No"),
    }


def _readable(questionnaire: Questionnaire) -> list[dict[str, Any]]:
    sections = []
    for section in questionnaire.sections:
        questions = []
        for question in section.questions:
            options = []
            if question.type == "choice":
                vocabulary = questionnaire.vocabularies[question.vocabulary or ""]
                options = [
                    {"code": code, "text": labels.get("en", code)}
                    for code, labels in vocabulary.items()
                ]
            questions.append(
                {
                    "question": question,
                    "type": QUESTION_TYPES.get(question.type, question.type),
                    "condition": (
                        _("Shown when %(condition)s")
                        % {"condition": _condition_words(questionnaire, question.show_if)}
                        if question.show_if
                        else ""
                    ),
                    "raises": _raises_words(question.raises) if question.raises else "",
                    "options": options,
                    "text": question.text_in("en"),
                }
            )
        sections.append(
            {"section": section, "title": section.title_in("en"), "questions": questions}
        )
    return sections


@require_http_methods(["GET"])
@permission_required(Perm.MANAGE_QUESTIONNAIRE)
def questionnaire_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_get(actor=request_actor(request), version_id=version_id)
    context: dict[str, Any] = {"version": version, "problems": [], "sections": []}
    try:
        questionnaire = selectors.questionnaire_of(version)
    except DefinitionError as error:
        # A draft saved under older rules: show what to fix rather than failing.
        context["problems"] = error.problems
    else:
        context["questionnaire"] = questionnaire
        context["sections"] = _readable(questionnaire)
        context["question_count"] = len(questionnaire.questions)
        context["translations"] = [
            {"code": code, "name": language_name(code)}
            for code in questionnaire.languages
            if code != "en"
        ]
    return render(request, "screening/admin/questionnaire_detail.html", context)


def _conflict(request: HttpRequest, version: QuestionnaireVersion, message: Any) -> HttpResponse:
    return render(
        request,
        "screening/admin/conflict.html",
        {"version": version, "message": message},
        status=409,
    )


@require_http_methods(["GET", "POST"])
@permission_required(Perm.MANAGE_QUESTIONNAIRE)
def questionnaire_edit(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = request_actor(request)
    version = selectors.version_get(actor=actor, version_id=version_id)
    if version.is_published:
        return _conflict(request, version, PUBLISHED_CANNOT_CHANGE)
    form = DefinitionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "definition": yaml.safe_dump(version.definition, allow_unicode=True, sort_keys=False),
            "notes": version.notes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            definition = read_definition(form.cleaned_data["definition"])
            questionnaire_draft_save(
                actor=actor,
                definition=definition,
                notes=form.cleaned_data["notes"],
                draft=version,
            )
        except Conflict as error:
            return _conflict(request, version, error.message)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The draft is saved. Nothing is lost until you publish."))
            return redirect("screening:questionnaire", version_id=version.pk)
    return render(
        request,
        "screening/admin/questionnaire_edit.html",
        {"version": version, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(Perm.MANAGE_QUESTIONNAIRE)
def questionnaire_publish_view(request: HttpRequest, version_id: int) -> HttpResponse:
    actor = request_actor(request)
    version = selectors.version_get(actor=actor, version_id=version_id)
    if version.is_published:
        return _conflict(request, version, ALREADY_PUBLISHED)
    problems: list[str] = []
    if request.method == "POST":
        try:
            published = questionnaire_publish(actor=actor, draft=version)
        except Conflict as error:
            return _conflict(request, version, error.message)
        except DomainError as error:
            problems = [str(error.message)]
        except DefinitionError as error:
            # The draft no longer passes the checks (they changed since it was saved).
            problems = error.problems
        else:
            messages.success(
                request,
                _("Version %(number)s is published. Every new interview uses it.")
                % {"number": published.number},
            )
            return redirect("screening:questionnaire", version_id=published.pk)
    current = selectors.versions(actor=actor).filter(status=VersionStatus.CURRENT).first()
    return render(
        request,
        "screening/admin/questionnaire_publish.html",
        {"version": version, "current": current, "problems": problems},
        status=400 if problems else 200,
    )


# --- The interpreters' register ------------------------------------------------------------


def _languages_text(interpreter: Interpreter) -> list[dict[str, Any]]:
    return [
        {"name": language_name(entry.get("language", "")), "dialects": entry.get("dialects", [])}
        for entry in interpreter.languages
    ]


@require_http_methods(["GET"])
@permission_required(Perm.MANAGE_INTERPRETERS)
def interpreter_list(request: HttpRequest) -> HttpResponse:
    today = london_today()
    rows = [
        {
            "interpreter": interpreter,
            "languages": _languages_text(interpreter),
            "expired": interpreter.accreditation_expires_on < today,
        }
        for interpreter in selectors.interpreters(actor=request_actor(request))
    ]
    return render(request, "screening/admin/interpreter_list.html", {"rows": rows})


def _accounts(request: HttpRequest, current: Interpreter | None) -> QuerySet[User]:
    """Active accounts with the interpreter role that the actor may see, and the one already
    linked (kept even when out of the actor's sight, so saving does not unlink it)."""
    visible = user_list(actor=request_actor(request), role=Role.INTERPRETER, status="active")
    linked = Q(pk=current.account_id) if current is not None and current.account_id else Q()
    condition = Q(pk__in=visible.values("pk"))
    if linked:
        condition |= linked
    return User.objects.filter(condition).order_by("full_name", "username")


def _interpreter_form(request: HttpRequest, interpreter: Interpreter | None) -> InterpreterForm:
    return InterpreterForm(
        request.POST if request.method == "POST" else None,
        initial=InterpreterForm.initial_for(interpreter) if interpreter else {},
        accounts=_accounts(request, interpreter),
        with_active=interpreter is not None,
        keep_codes=interpreter.language_codes() if interpreter else (),
    )


@require_http_methods(["GET", "POST"])
@permission_required(Perm.MANAGE_INTERPRETERS)
def interpreter_add_view(request: HttpRequest) -> HttpResponse:
    form = _interpreter_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            interpreter_add(actor=request_actor(request), **form.service_values())
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The interpreter is on the register."))
            return redirect("screening:interpreters")
    return render(
        request,
        "screening/admin/interpreter_form.html",
        {"form": form, "interpreter": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required(Perm.MANAGE_INTERPRETERS)
def interpreter_edit_view(request: HttpRequest, interpreter_id: int) -> HttpResponse:
    actor = request_actor(request)
    interpreter = selectors.interpreter_get(actor=actor, interpreter_id=interpreter_id)
    form = _interpreter_form(request, interpreter)
    if request.method == "POST" and form.is_valid():
        try:
            interpreter_update(
                actor=actor,
                interpreter=interpreter,
                is_active=form.cleaned_data.get("is_active", False),
                **form.service_values(),
            )
        except DomainError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The interpreter's entry is saved."))
            return redirect("screening:interpreters")
    return render(
        request,
        "screening/admin/interpreter_form.html",
        {"form": form, "interpreter": interpreter},
        status=400 if form.errors else 200,
    )
