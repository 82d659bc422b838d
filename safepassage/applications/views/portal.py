"""The applicant's pages: start, sign in with a code, the questions, check and send, status.

The same question pages serve a partner caseworker acting for an applicant: the URLs are
included twice, under /apply/ (the applicant, signed in with a code) and under /partner/ (a
member of staff, signed in with two factors). ``portal_actor`` says who is acting.
"""

from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepassage.applications import selectors
from safepassage.applications.forms import (
    CodeForm,
    ContactSignInForm,
    InformationForm,
    SubmitForm,
    UploadForm,
    WithdrawForm,
)
from safepassage.applications.letters import issued_decision
from safepassage.applications.models import Applicant, Application
from safepassage.applications.questions import (
    BY_SLUG,
    ChildForm,
    applicable,
    first_unanswered,
    listed_children,
    next_question,
)
from safepassage.applications.services import access, documents, drafts, partners, submission
from safepassage.applications.summary import answer_sections
from safepassage.core.actors import Actor, ApplicantActor
from safepassage.core.context_processors import languages_for
from safepassage.core.errors import DomainError, NotFound
from safepassage.core.models import User
from safepassage.core.network import client_address_digest
from safepassage.core.permissions import has_permission
from safepassage.core.roles import Perm
from safepassage.core.views.helpers import add_domain_error

APPLICANT_SESSION_KEY = "applicant_id"
PENDING_SESSION_KEY = "pending_applicant_id"
PARTNER = "partner"
APPLY = "apply"


def _namespace(request: HttpRequest) -> str:
    match = request.resolver_match
    return match.namespace if match and match.namespace else APPLY


def portal_url(request: HttpRequest, name: str, *args: Any) -> str:
    return reverse(f"{_namespace(request)}:{name}", args=args)


def portal_actor(request: HttpRequest) -> Actor | None:
    if _namespace(request) == PARTNER:
        user = request.user
        if isinstance(user, User) and has_permission(user, Perm.HELP_APPLICANTS):
            return user
        return None
    applicant_id = request.session.get(APPLICANT_SESSION_KEY)
    if applicant_id and Applicant.objects.filter(pk=applicant_id).exists():
        return ApplicantActor(int(applicant_id))
    return None


def actor_required(view: Any) -> Any:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor = portal_actor(request)
        if actor is None:
            if _namespace(request) == PARTNER:
                raise Http404()
            messages.info(request, _("Sign in with a code to continue."))
            return redirect("apply:sign_in")
        request.portal_actor = actor  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped


def portal_application(request: HttpRequest, public_id: uuid.UUID) -> Application:
    return selectors.application_get(request.portal_actor, public_id)  # type: ignore[attr-defined]


def portal_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"portal_namespace": _namespace(request), **extra}


def _resume_url(request: HttpRequest, application: Application) -> str:
    if not application.is_draft:
        return portal_url(request, "status", application.public_id)
    question = first_unanswered(application.answers)
    if question is None:
        return portal_url(request, "check", application.public_id)
    return _question_url(request, application, question.slug)


def _question_url(request: HttpRequest, application: Application, slug: str) -> str:
    if slug in ("children", "uploads"):
        return portal_url(request, slug, application.public_id)
    return portal_url(request, "question", application.public_id, slug)


def _after_save(request: HttpRequest, application: Application, slug: str) -> HttpResponse:
    if request.GET.get("return") == "check":
        following = first_unanswered(application.answers)
        if following is None:
            return redirect(portal_url(request, "check", application.public_id))
        return redirect(_question_url(request, application, following.slug))
    question = next_question(slug, application.answers)
    if question is None:
        return redirect(portal_url(request, "check", application.public_id))
    return redirect(_question_url(request, application, question.slug))


# --- Start and sign in ----------------------------------------------------------------------


def _every_language(request: HttpRequest) -> list[dict[str, Any]]:
    # Only the pages that offer the choice list every portal language.
    return languages_for(request, [code for code, _name in settings.LANGUAGES])


def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/start.html",
        portal_context(request, portal_languages=_every_language(request)),
    )


def choose_language(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/language.html",
        portal_context(request, portal_languages=_every_language(request)),
    )


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = ContactSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant = access.access_code_request(
                contact_text=form.cleaned_data["contact"],
                language=get_language() or "en",
                requested_from=client_address_digest(request),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session[PENDING_SESSION_KEY] = applicant.pk
            return redirect("apply:code")
    return render(request, "applications/sign_in.html", portal_context(request, form=form))


@require_http_methods(["GET", "POST"])
def enter_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_SESSION_KEY)
    applicant = Applicant.objects.filter(pk=pending).first() if pending else None
    if applicant is None:
        return redirect("apply:sign_in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actor = access.access_code_verify(
                applicant=applicant, code_text=form.cleaned_data["code"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            # A new session id once the code is proved, so a planted session cannot ride on it.
            request.session.cycle_key()
            request.session.pop(PENDING_SESSION_KEY, None)
            request.session[APPLICANT_SESSION_KEY] = actor.applicant_id
            return redirect("apply:applications")
    return render(
        request,
        "applications/code.html",
        portal_context(request, form=form, contact_kind=applicant.contact_kind),
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    messages.info(request, _("You have signed out. Your answers are saved."))
    return redirect("apply:start")


# --- Applications -----------------------------------------------------------------------------


@actor_required
def application_list(request: HttpRequest) -> HttpResponse:
    actor = request.portal_actor  # type: ignore[attr-defined]
    if not isinstance(actor, ApplicantActor):
        raise Http404()
    items = [
        {
            "application": application,
            "resume_url": _resume_url(request, application),
            "consents": selectors.standing_consents(application),
        }
        for application in selectors.applicant_applications(actor)
    ]
    return render(request, "applications/list.html", portal_context(request, items=items))


@require_POST
@actor_required
def application_new(request: HttpRequest) -> HttpResponse:
    actor = request.portal_actor  # type: ignore[attr-defined]
    if not isinstance(actor, ApplicantActor):
        raise Http404()
    applicant = Applicant.objects.get(pk=actor.applicant_id)
    application = drafts.application_start(
        actor=actor, applicant=applicant, language=get_language() or "en"
    )
    return redirect(_resume_url(request, application))


@actor_required
def resume(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return redirect(_resume_url(request, portal_application(request, public_id)))


def _draft_or_status(request: HttpRequest, application: Application) -> HttpResponse | None:
    if not application.is_draft:
        messages.info(request, _("This application has been sent. Here is its progress."))
        return redirect(portal_url(request, "status", application.public_id))
    return None


def _back_url(request: HttpRequest, application: Application, slug: str) -> str:
    if request.GET.get("return") == "check":
        return portal_url(request, "check", application.public_id)
    pages = [question.slug for question in applicable(application.answers)]
    index = pages.index(slug) if slug in pages else 0
    if index == 0:
        return (
            portal_url(request, "applications")
            if _namespace(request) == APPLY
            else reverse("partner:home")
        )
    return _question_url(request, application, pages[index - 1])


@require_http_methods(["GET", "POST"])
@actor_required
def question(request: HttpRequest, public_id: uuid.UUID, slug: str) -> HttpResponse:
    page = BY_SLUG.get(slug)
    if page is None or page.form is None:
        raise NotFound()
    application = portal_application(request, public_id)
    if (elsewhere := _draft_or_status(request, application)) is not None:
        return elsewhere
    if not page.applies(application.answers):
        return redirect(_resume_url(request, application))
    if request.method == "POST":
        form = page.form(request.POST)
        if form.is_valid():
            try:
                application = drafts.answers_save(
                    actor=request.portal_actor,  # type: ignore[attr-defined]
                    application=application,
                    slug=slug,
                    answer=form.cleaned_data,
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return _after_save(request, application, slug)
    else:
        form = page.form(initial=application.answers.get(slug, {}))
    return render(
        request,
        "applications/question.html",
        portal_context(
            request,
            application=application,
            page=page,
            form=form,
            back_url=_back_url(request, application, slug),
        ),
    )


@require_http_methods(["GET", "POST"])
@actor_required
def children(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = portal_application(request, public_id)
    if (elsewhere := _draft_or_status(request, application)) is not None:
        return elsewhere
    actor = request.portal_actor  # type: ignore[attr-defined]
    form = ChildForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = ChildForm(request.POST)
                if form.is_valid():
                    drafts.child_add(actor=actor, application=application, child=form.cleaned_data)
                    messages.success(request, _("Child added."))
                    return redirect(portal_url(request, "children", public_id))
            elif action.startswith("remove:"):
                drafts.child_remove(actor=actor, application=application, child_id=action[7:])
                messages.success(request, _("Child removed."))
                return redirect(portal_url(request, "children", public_id))
            elif action == "continue":
                if listed_children(application.answers):
                    return _after_save(request, application, "children")
                form = ChildForm(request.POST)
                # One message for what stops continuing; the empty child fields are not it.
                form.errors.clear()
                form.add_error(
                    None, _("Add each child travelling with you, or go back and answer no")
                )
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "applications/children.html",
        portal_context(
            request,
            application=application,
            form=form,
            children=listed_children(application.answers),
            back_url=_back_url(request, application, "children"),
        ),
    )


@require_http_methods(["GET", "POST"])
@actor_required
def uploads(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A draft's uploads; after sending, more documents can still be added (not removed)."""
    application = portal_application(request, public_id)
    status_url = portal_url(request, "status", public_id)
    if not application.is_draft and application.status not in documents.OPEN_FOR_DOCUMENTS:
        return redirect(status_url)
    actor = request.portal_actor  # type: ignore[attr-defined]
    form = UploadForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "upload":
                form = UploadForm(request.POST, request.FILES)
                if form.is_valid():
                    documents.document_upload(
                        actor=actor,
                        application=application,
                        kind=form.cleaned_data["kind"],
                        upload=form.cleaned_data["file"],
                    )
                    messages.success(request, _("Document uploaded."))
                    return redirect(portal_url(request, "uploads", public_id))
            elif action.startswith("remove:") and action[7:].isdigit():
                document = selectors.document_get(actor, application, int(action[7:]))
                documents.document_remove(actor=actor, document=document)
                messages.success(request, _("Document removed."))
                return redirect(portal_url(request, "uploads", public_id))
            elif action == "continue":
                if not application.is_draft:
                    return redirect(status_url)
                application = drafts.uploads_done(actor=actor, application=application)
                return _after_save(request, application, "uploads")
        except DomainError as error:
            add_domain_error(form, error)
    return render(
        request,
        "applications/uploads.html",
        portal_context(
            request,
            application=application,
            form=form,
            documents=selectors.live_documents(application).exclude(kind="consent_form"),
            back_url=(
                _back_url(request, application, "uploads") if application.is_draft else status_url
            ),
        ),
    )


@require_http_methods(["GET", "POST"])
@actor_required
def check(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = portal_application(request, public_id)
    actor = request.portal_actor  # type: ignore[attr-defined]
    form = SubmitForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    if request.method == "POST":
        if form.is_valid():
            try:
                sent, _created = submission.application_submit(
                    actor=actor, application=application, submission_key=form.cleaned_data["key"]
                )
            except DomainError as error:
                if error.extra.get("fields"):
                    # Say what is wrong, then which pages: the page titles alone explain nothing.
                    form.add_error(None, str(error.message))
                add_domain_error(form, error)
            else:
                return redirect(portal_url(request, "submitted", sent.public_id))
        else:
            # A new key, so that sending again can work; the hidden field's own error would
            # point at an input the applicant cannot see.
            form = SubmitForm({"key": uuid.uuid4().hex})
            form.add_error(None, _("The form has expired. Check your answers and send again."))
    if (elsewhere := _draft_or_status(request, application)) is not None:
        return elsewhere
    first_missing = first_unanswered(application.answers)
    return render(
        request,
        "applications/check.html",
        portal_context(
            request,
            application=application,
            form=form,
            sections=answer_sections(application.answers),
            documents=selectors.live_documents(application).exclude(kind="consent_form"),
            first_missing=first_missing,
            first_missing_url=(
                _question_url(request, application, first_missing.slug) if first_missing else ""
            ),
        ),
    )


@actor_required
def submitted(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = portal_application(request, public_id)
    if application.is_draft:
        return redirect(_resume_url(request, application))
    return render(
        request,
        "applications/submitted.html",
        portal_context(
            request,
            application=application,
            family=application.family_members.order_by("pk"),
        ),
    )


@require_http_methods(["GET", "POST"])
@actor_required
def status(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = portal_application(request, public_id)
    if application.is_draft:
        return redirect(_resume_url(request, application))
    actor = request.portal_actor  # type: ignore[attr-defined]
    form = InformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission.information_add(
                actor=actor, application=application, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Thank you. We have added this to your application."))
            return redirect(portal_url(request, "status", public_id))
    return render(
        request,
        "applications/status.html",
        portal_context(
            request,
            application=application,
            form=form,
            changes=application.status_changes.all(),
            information=application.additional_information.all(),
            family=application.family_members.order_by("pk"),
            consents=selectors.standing_consents(application),
            can_add_documents=application.status in documents.OPEN_FOR_DOCUMENTS,
            sections=answer_sections(application.answers),
            decision=issued_decision(application),
        ),
    )


@require_http_methods(["GET", "POST"])
@actor_required
def withdraw(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    application = portal_application(request, public_id)
    if not application.can_withdraw:
        return redirect(_resume_url(request, application))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission.application_withdraw(
                actor=request.portal_actor,  # type: ignore[attr-defined]
                application=application,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your application has been withdrawn."))
            return redirect(portal_url(request, "status", public_id))
    return render(
        request,
        "applications/withdraw.html",
        portal_context(request, application=application, form=form),
    )


@require_POST
@actor_required
def revoke_consent(request: HttpRequest, public_id: uuid.UUID, consent_id: int) -> HttpResponse:
    application = portal_application(request, public_id)
    consent = selectors.standing_consents(application).filter(pk=consent_id).first()
    if consent is None:
        raise NotFound()
    partners.consent_revoke(actor=request.portal_actor, consent=consent)  # type: ignore[attr-defined]
    messages.success(
        request,
        _("%(organisation)s can no longer see your application.")
        % {"organisation": consent.organisation.name},
    )
    if _namespace(request) == PARTNER:
        return HttpResponseRedirect(reverse("partner:home"))
    if application.is_draft:
        return redirect("apply:applications")
    return redirect(portal_url(request, "status", public_id))
