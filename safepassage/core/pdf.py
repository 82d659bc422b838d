"""PDFs rendered by WeasyPrint from Django templates, and kept in private storage with their
SHA-256: the decision letters (applications.letters) and the screening interview records
(screening.records).

Rendering fetches nothing from the network: stylesheets are read from disk once per process,
and the URL fetcher refuses every URL, so text that looks like markup (it is escaped anyway)
cannot make the server reach out. Fonts are the system's (fonts-dejavu, fonts-hosny-amiri,
fonts-sil-abyssinica).

A PDF is written to disk inside the transaction of the record that points to it; wrapping that
transaction in ``files_kept_only_on_commit`` deletes what it wrote if it does not commit.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile

from safepassage.applications.storage import open_stored, private_storage

if TYPE_CHECKING:
    from weasyprint import CSS

# Unicode blocks of the scripts whose fonts differ from the Latin one (letter.css).
_ARABIC_BLOCKS = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
_ETHIOPIC_BLOCKS = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))

# Languages written in Arabic script (right to left, drawn with Amiri) and in Ge'ez (drawn with
# Abyssinica SIL), by the primary subtag of their code: "fa-af" (Dari) is Farsi's.
ARABIC_SCRIPT_LANGUAGES = frozenset({"ar", "fa", "ps", "ckb", "ur", "sd", "ug"})
ETHIOPIC_LANGUAGES = frozenset({"ti", "am", "gez", "tig"})

SCRIPT_ARABIC = "script-arabic"
SCRIPT_ETHIOPIC = "script-ethiopic"
SCRIPT_LATIN = "script-latin"


class StoredFileDamaged(Exception):
    """A stored PDF is missing, or no longer matches the checksum taken when it was made."""


# --- Scripts and directions ------------------------------------------------------------------


def script_class(text: str) -> str:
    """The CSS class that picks a font able to draw ``text`` (a name, an answer, a reason,
    written in whatever script its author used), by its first non-Latin letter."""
    for character in text:
        point = ord(character)
        if any(low <= point <= high for low, high in _ARABIC_BLOCKS):
            return SCRIPT_ARABIC
        if any(low <= point <= high for low, high in _ETHIOPIC_BLOCKS):
            return SCRIPT_ETHIOPIC
    return SCRIPT_LATIN


def direction(text: str) -> str:
    """The direction of ``text`` by its first strong character (the Unicode bidi algorithm's
    rule P2), so an English explanation reads left to right in an Arabic document."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def free_text(text: str) -> dict[str, str]:
    """Text typed by a person, with the direction and font class to show it in."""
    return {"text": text, "dir": direction(text), "script": script_class(text)}


def _primary(language: str) -> str:
    return language.strip().lower().replace("_", "-").split("-", 1)[0]


def language_script_class(language: str) -> str:
    """The font class of a language's own script: Arabic script → Amiri, Ge'ez → Abyssinica
    SIL, anything else the Latin stack (which draws Cyrillic and Greek too)."""
    primary = _primary(language)
    if primary in ARABIC_SCRIPT_LANGUAGES:
        return SCRIPT_ARABIC
    if primary in ETHIOPIC_LANGUAGES:
        return SCRIPT_ETHIOPIC
    return SCRIPT_LATIN


def language_direction(language: str) -> str:
    return "rtl" if _primary(language) in ARABIC_SCRIPT_LANGUAGES else "ltr"


# --- Rendering -------------------------------------------------------------------------------


def import_weasyprint() -> None:
    """Import WeasyPrint, undoing the one thing its import does to the whole process.

    WeasyPrint sets Pillow's ImageFile.LOAD_TRUNCATED_IMAGES to True when it is imported. That
    global would let a truncated photo through the upload checks (applications.uploads) in every
    later request of the process. Our PDFs contain no images, so they never need it."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False


def refuse_fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> dict[str, Any]:
    # A PDF needs nothing but its own HTML and stylesheets; fonts are the system's.
    raise ValueError(f"a PDF fetches nothing: {url[:80]!r}")


@lru_cache(maxsize=8)
def stylesheet(path: Path) -> CSS:
    """A stylesheet, parsed once per process: parsing is a noticeable share of a render."""
    import_weasyprint()
    from weasyprint import CSS

    return CSS(filename=str(path), url_fetcher=refuse_fetch)


def render_pdf(html: str, *, stylesheets: list[Path], base_url: str | None = None) -> bytes:
    """The PDF of ``html`` (a rendered template, its text escaped), styled by ``stylesheets``
    in order, fetching nothing."""
    import_weasyprint()
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=refuse_fetch).render(
        stylesheets=[stylesheet(path) for path in stylesheets]
    )
    return bytes(document.write_pdf())


def warm_up(*stylesheets: Path) -> None:
    """Load WeasyPrint, ``stylesheets`` and the fonts of every script we ship, once, when a web
    process starts, rather than in the first request that renders a PDF (seconds, while it
    holds a row's lock)."""
    sample = "".join(
        f'<p lang="{code}">{text}</p>'
        for code, text in (("en", "Safe Passage"), ("ar", "عبور آمن"), ("ti", "ውሑስ መሳገሪ"))
    )
    render_pdf(f"<html><body>{sample}</body></html>", stylesheets=list(stylesheets))


# --- Storing and reading back ----------------------------------------------------------------


# The files written inside the innermost ``files_kept_only_on_commit`` block, if any. One for
# every kind of PDF, so a transaction that writes letters and records loses them all together.
_WRITTEN: ContextVar[list[str] | None] = ContextVar("pdf_files_written", default=None)


@contextmanager
def files_kept_only_on_commit() -> Iterator[None]:
    """PDFs are written to disk inside the transaction of the record that points to them; if
    that transaction does not commit, the files it wrote are deleted, so no PDF is left that no
    record points to. Wrap the whole transaction (outside ``transaction.atomic``) in this.

    Blocks nest: the files of an inner block that ends well are handed to the outer one, to be
    deleted if the outer transaction fails after all."""
    outer = _WRITTEN.get()
    written: list[str] = []
    token = _WRITTEN.set(written)
    try:
        yield
    except BaseException:
        storage = private_storage()
        for name in written:
            storage.delete(name)
        raise
    else:
        if outer is not None:
            outer.extend(written)
    finally:
        _WRITTEN.reset(token)


def save_private_file(content: bytes, *, prefix: str) -> str:
    """Store ``content`` privately under a new random name below ``prefix`` ("letters",
    "records"), and return the name. Nothing about the person is in the name."""
    token = secrets.token_urlsafe(24)
    name = private_storage().save(f"{prefix}/{token[:2]}/{token}.pdf", ContentFile(content))
    written = _WRITTEN.get()
    if written is not None:
        written.append(name)
    return name


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_checked(
    name: str,
    sha256: str,
    *,
    damaged: type[StoredFileDamaged] = StoredFileDamaged,
    what: str = "stored file",
) -> bytes:
    """The stored file, checked against the checksum taken when it was made. A file that is
    missing or changed raises ``damaged`` (naming ``what``, an id, never a name)."""
    if not name or not sha256:
        raise damaged(f"{what} was never stored")
    try:
        with open_stored(name) as stored:
            content = bytes(stored.read())
    except FileNotFoundError:
        raise damaged(f"{what} is missing from storage") from None
    if not secrets.compare_digest(sha256_of(content), sha256):
        raise damaged(f"{what} does not match its checksum")
    return content
