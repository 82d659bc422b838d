"""Decision letters: the PDF that tells an applicant what we decided, in English and in their
own language, rendered by WeasyPrint from Django templates.

A letter exists only for an issued decision. It carries the application's reference and the
decision's verification code, which anyone holding the letter can check on the public
verification page (views.letters.verify). Letters are stored privately (applications.storage)
with their SHA-256, one per language, and reach the applicant through permission-checked views
and by email.

Rendering, storing and reading back are core.pdf's, shared with the screening interview record:
nothing is fetched from the network, so a name or an explanation that looks like markup (it is
escaped anyway) cannot make the server reach out.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from safepassage.applications.models import (
    Application,
    Decision,
    DecisionLetter,
    DecisionOutcome,
    DecisionState,
)
from safepassage.applications.notifications import preferred_language
from safepassage.applications.refusal_reasons import reason_for
from safepassage.applications.storage import private_storage
from safepassage.core import pdf
from safepassage.core.countries import country_name, is_country
from safepassage.core.local_dates import long_date, partial_date

if TYPE_CHECKING:
    from weasyprint import CSS

TEMPLATE_DIRECTORY = (
    Path(settings.BASE_DIR) / "safepassage" / "templates" / "applications" / "letters"
)
STYLESHEET = TEMPLATE_DIRECTORY / "letter.css"
TEMPLATES = {
    DecisionOutcome.GRANT: "applications/letters/grant.html",
    DecisionOutcome.REFUSE: "applications/letters/refusal.html",
}
ENGLISH = "en"

# The generic parts live in core.pdf; the names they had here still work (wsgi, tests, records).
files_kept_only_on_commit = pdf.files_kept_only_on_commit
_import_weasyprint = pdf.import_weasyprint
_refuse_fetch = pdf.refuse_fetch
_script_class = pdf.script_class
_direction = pdf.direction
_free_text = pdf.free_text


class LetterNotAvailable(Exception):
    """A letter was asked of a decision that has none: one not (or not yet) issued."""


class LetterDamaged(pdf.StoredFileDamaged):
    """A stored letter is missing, or no longer matches the checksum taken when it was made."""


# --- Languages -------------------------------------------------------------------------------


def applicant_language(application: Application) -> str:
    """The language the applicant asked us to write in, if we ship it; otherwise the one they
    applied in (as notifications chooses for messages)."""
    chosen = preferred_language(application)
    if chosen is not None:
        return chosen
    return application.language if application.language in dict(settings.LANGUAGES) else ENGLISH


def letter_languages(application: Application) -> list[str]:
    """English (the letter a border officer reads) and the applicant's language when it is
    another one we ship."""
    own = applicant_language(application)
    return [ENGLISH] if own == ENGLISH else [ENGLISH, own]


# --- Rendering -------------------------------------------------------------------------------


def _joined(*parts: str) -> str:
    return " ".join(" ".join(part.split()) for part in parts if part and part.strip())


def _applicant(application: Application, language: str) -> dict[str, Any]:
    answers = application.answers
    name = answers.get("name", {})
    latin = _joined(name.get("given_names", ""), name.get("family_name", ""))
    original = _joined(name.get("given_names_original", ""), name.get("family_name_original", ""))
    nationality = str(answers.get("nationality", {}).get("nationality", ""))
    document = (
        answers.get("document-details", {})
        if answers.get("document", {}).get("document_kind", "none") != "none"
        else {}
    )
    return {
        "name": _free_text(latin),
        "original_name": _free_text(original) if original else None,
        "born": partial_date(str(answers.get("date-of-birth", {}).get("date_of_birth", ""))),
        "nationality": country_name(nationality, language) if is_country(nationality) else "",
        "document_number": str(document.get("number", "")),
    }


def verification_url() -> str:
    return settings.SERVICE_BASE_URL.rstrip("/") + reverse("verify")


def _context(decision: Decision, language: str) -> dict[str, Any]:
    application = decision.application
    if decision.issued_at is None:
        raise LetterNotAvailable(f"decision {decision.pk} has no date of issue")
    context: dict[str, Any] = {
        "language_code": language,
        "direction": "rtl" if translation.get_language_bidi() else "ltr",
        "decision": decision,
        "reference": application.reference,
        "decided_on": long_date(decision.issued_at),
        "applicant": _applicant(application, language),
        "verification_code": decision.verification_code,
        "verification_url": verification_url(),
        "apply_url": settings.SERVICE_BASE_URL.rstrip("/") + reverse("apply:start"),
    }
    if decision.outcome == DecisionOutcome.GRANT:
        if decision.valid_from is None or decision.valid_until is None:
            raise LetterNotAvailable(f"grant {decision.pk} has no validity")
        context["valid_from"] = long_date(decision.valid_from)
        context["valid_until"] = long_date(decision.valid_until)
    else:
        reasons = [reason_for(code) for code in decision.reasons]
        context["reasons"] = [
            {"rule": reason.rule, "text": reason.letter_text}
            for reason in reasons
            if reason is not None
        ]
        context["explanation"] = _free_text(decision.explanation) if decision.explanation else None
    return context


def warm_up() -> None:
    """Load WeasyPrint, the letter stylesheet and the fonts of every script we ship, once, when
    a web process starts (safepassage/wsgi.py). Otherwise the first decision a process issues
    pays for it (seconds) while it holds the application's lock."""
    pdf.warm_up(STYLESHEET)


def _stylesheet() -> CSS:
    # Parsed once per process (core.pdf caches it).
    return pdf.stylesheet(STYLESHEET)


def render_letter(decision: Decision, language: str) -> bytes:
    """The PDF of an issued decision's letter in ``language`` (one of settings.LANGUAGES)."""
    if decision.state != DecisionState.ISSUED or not decision.verification_code:
        raise LetterNotAvailable(f"decision {decision.pk} is not issued")
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a language we ship: {language!r}")
    with translation.override(language):
        html = render_to_string(
            TEMPLATES[DecisionOutcome(decision.outcome)], _context(decision, language)
        )
        return pdf.render_pdf(html, stylesheets=[STYLESHEET], base_url=str(TEMPLATE_DIRECTORY))


# --- Storing and reading back ----------------------------------------------------------------


def _save_file(content: bytes) -> str:
    # Written inside the decision's transaction: wrap it in files_kept_only_on_commit.
    return pdf.save_private_file(content, prefix="letters")


def letters_store(decision: Decision) -> list[DecisionLetter]:
    """Render and store the decision's letter in each of its languages; a language that already
    has its letter keeps it. Called by the decision service inside its transaction, once the
    decision is issued."""
    if decision.state != DecisionState.ISSUED:
        raise LetterNotAvailable(f"decision {decision.pk} is not issued")
    existing = {letter.language: letter for letter in decision.letters.all()}
    stored: list[DecisionLetter] = []
    for language in letter_languages(decision.application):
        if language in existing:
            stored.append(existing[language])
            continue
        content = render_letter(decision, language)
        name = _save_file(content)
        try:
            with transaction.atomic():
                letter = DecisionLetter.objects.create(
                    decision=decision,
                    language=language,
                    storage_name=name,
                    size=len(content),
                    sha256=pdf.sha256_of(content),
                    rendered_at=timezone.now(),
                )
        except IntegrityError:
            # Stored meanwhile by another process: keep theirs, drop our copy of the file.
            private_storage().delete(name)
            letter = DecisionLetter.objects.get(decision=decision, language=language)
        stored.append(letter)
    return stored


def letter_content(letter: DecisionLetter) -> bytes:
    """The stored PDF, checked against the checksum taken when it was made."""
    return pdf.read_checked(
        letter.storage_name, letter.sha256, damaged=LetterDamaged, what=f"letter {letter.pk}"
    )


def letter_filename(letter: DecisionLetter) -> str:
    """The name a downloaded letter is saved under: the reference and the language, nothing
    personal."""
    reference = letter.decision.application.reference or "letter"
    return f"decision-{reference}-{letter.language}.pdf"


# --- What the applicant's status page shows --------------------------------------------------


def issued_decision(application: Application) -> Decision | None:
    """The application's issued decision with its letters, or None: a decision still waiting
    for a second look or an approval is never shown to the applicant."""
    return (
        Decision.objects.filter(application=application, state=DecisionState.ISSUED)
        .prefetch_related("letters")
        .first()
    )


def issued_letter_get(application: Application, letter_id: int) -> DecisionLetter | None:
    """One letter of the application's issued decision (the caller has already checked that the
    actor may see the application)."""
    return (
        DecisionLetter.objects.select_related("decision__application")
        .filter(
            pk=letter_id,
            decision__application=application,
            decision__state=DecisionState.ISSUED,
        )
        .first()
    )


def permission_ended(decision: Decision, today: date) -> bool:
    return (
        decision.outcome == DecisionOutcome.GRANT
        and decision.valid_until is not None
        and decision.valid_until < today
    )
