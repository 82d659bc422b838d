"""Decision letters: the PDF that tells an applicant what we decided, in English and in their
own language, rendered by WeasyPrint from Django templates.

A letter exists only for an issued decision. It carries the application's reference and the
decision's verification code, which anyone holding the letter can check on the public
verification page (views.letters.verify). Letters are stored privately (applications.storage)
with their SHA-256, one per language, and reach the applicant through permission-checked views
and by email.

Rendering fetches nothing from the network: the stylesheet is read from disk once, and the URL
fetcher refuses every other URL, so a name or an explanation that looks like markup (it is
escaped anyway) cannot make the server reach out.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
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
from safepassage.applications.storage import open_stored, private_storage
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

# Unicode blocks of the scripts whose fonts differ from the Latin one (see letter.css).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_ETHIOPIC_BLOCKS = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))


class LetterNotAvailable(Exception):
    """A letter was asked of a decision that has none: one not (or not yet) issued."""


class LetterDamaged(Exception):
    """A stored letter no longer matches the checksum recorded when it was made."""


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


def _script_class(text: str) -> str:
    """The CSS class that picks a font able to draw ``text`` (a name or an explanation, written
    in whatever script its author used)."""
    for character in text:
        point = ord(character)
        if any(low <= point <= high for low, high in _ARABIC_BLOCKS):
            return "script-arabic"
        if any(low <= point <= high for low, high in _ETHIOPIC_BLOCKS):
            return "script-ethiopic"
    return "script-latin"


def _direction(text: str) -> str:
    """The direction of ``text`` by its first strong character (the Unicode bidi algorithm's
    rule P2), so an English explanation reads left to right in an Arabic letter."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _free_text(text: str) -> dict[str, str]:
    return {"text": text, "dir": _direction(text), "script": _script_class(text)}


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


def _import_weasyprint() -> None:
    """Import WeasyPrint, undoing the one thing its import does to the whole process.

    WeasyPrint sets Pillow's ImageFile.LOAD_TRUNCATED_IMAGES to True when it is imported. That
    global would let a truncated photo through the upload checks (applications.uploads) in every
    later request of the process. Letters contain no images, so they never need it."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False


def warm_up() -> None:
    """Load WeasyPrint, the letter stylesheet and the fonts of every script we ship, once, when
    a web process starts (safepassage/wsgi.py). Otherwise the first decision a process issues
    pays for it (seconds) while it holds the application's lock."""
    _import_weasyprint()
    from weasyprint import HTML

    sample = "".join(
        f'<p lang="{code}">{text}</p>'
        for code, text in (("en", "Safe Passage"), ("ar", "عبور آمن"), ("ti", "ውሑስ መሳገሪ"))
    )
    HTML(string=f"<html><body>{sample}</body></html>", url_fetcher=_refuse_fetch).render(
        stylesheets=[_stylesheet()]
    ).write_pdf()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # Parsed once per process: parsing the stylesheet is a noticeable share of a render.
    _import_weasyprint()
    from weasyprint import CSS

    return CSS(filename=str(STYLESHEET), url_fetcher=_refuse_fetch)


def _refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    # A letter needs nothing but its own HTML and stylesheet; fonts are the system's.
    raise ValueError(f"a letter fetches nothing: {url[:80]!r}")


def render_letter(decision: Decision, language: str) -> bytes:
    """The PDF of an issued decision's letter in ``language`` (one of settings.LANGUAGES)."""
    _import_weasyprint()
    from weasyprint import HTML

    if decision.state != DecisionState.ISSUED or not decision.verification_code:
        raise LetterNotAvailable(f"decision {decision.pk} is not issued")
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"not a language we ship: {language!r}")
    with translation.override(language):
        html = render_to_string(
            TEMPLATES[DecisionOutcome(decision.outcome)], _context(decision, language)
        )
        document = HTML(
            string=html, base_url=str(TEMPLATE_DIRECTORY), url_fetcher=_refuse_fetch
        ).render(stylesheets=[_stylesheet()])
    return bytes(document.write_pdf())


# --- Storing and reading back ----------------------------------------------------------------


# The files written inside the current ``files_kept_only_on_commit`` block, if any.
_WRITTEN: ContextVar[list[str] | None] = ContextVar("letters_written", default=None)


@contextmanager
def files_kept_only_on_commit() -> Iterator[None]:
    """Letters are written to disk inside the decision's transaction; if that transaction does
    not commit, the files it wrote are deleted, so no PDF is left that no record points to.
    Wrap the whole transaction (outside ``transaction.atomic``) in this."""
    written: list[str] = []
    token = _WRITTEN.set(written)
    try:
        yield
    except BaseException:
        for name in written:
            private_storage().delete(name)
        raise
    finally:
        _WRITTEN.reset(token)


def _save_file(content: bytes) -> str:
    token = secrets.token_urlsafe(24)
    name = private_storage().save(f"letters/{token[:2]}/{token}.pdf", ContentFile(content))
    written = _WRITTEN.get()
    if written is not None:
        written.append(name)
    return name


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
                    sha256=hashlib.sha256(content).hexdigest(),
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
    with open_stored(letter.storage_name) as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != letter.sha256:
        raise LetterDamaged(f"letter {letter.pk} does not match its checksum")
    return bytes(content)


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
