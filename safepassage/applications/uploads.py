"""Check an applicant's uploaded identity document and make it safe to keep.

Pure validation: no models, no storage. The type is decided from the bytes alone; the file
name and the content type the browser sent are chosen by the client, so they are ignored.
Photos are decoded and encoded again, which leaves behind everything but the pixels (EXIF
with GPS position, XMP, comments, PNG text). PDFs cannot be rewritten safely here, so they
are kept as sent, but refused if they carry scripts, launch actions or attached files.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from safepassage.core.errors import ValidationFailed

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED_FORMATS = _("JPG, PNG or PDF")

# Enough for any phone camera in use (a 48 megapixel sensor saves 12 megapixel photos by
# default); a small file that claims more pixels is almost always a decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000

JPEG_QUALITY = 88
_READ_CHUNK_BYTES = 64 * 1024

MESSAGES: dict[str, Any] = {
    "empty": _("The selected file is empty"),
    "too_large": _("The file must be smaller than 10 MB"),
    "wrong_type": _("The file must be a JPG, PNG or PDF"),
    "damaged": _(
        "The file could not be opened. Take the photo again, or save the file again and upload it"
    ),
    "active_content": _(
        "The PDF contains scripts or attached files. Print it to a new PDF, or upload "
        "photos of the pages instead"
    ),
}
IMAGE_TOO_LARGE = _("The image is too large. Take the photo again at a lower resolution")


class UploadRejected(ValidationFailed):
    """The upload cannot be accepted; `code` says why and the message tells the applicant
    what to do. With only a code, the standard message for that code is used."""

    code = "upload_rejected"

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        field: str = "file",
        extra: dict[str, Any] | None = None,
    ) -> None:
        if message is None and code is not None:
            message = MESSAGES.get(code)
        super().__init__(message, code=code, field=field, extra=extra)


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    size: int


class Readable(Protocol):
    """A binary file: Django's UploadedFile, an open file, io.BytesIO."""

    def read(self, size: int = -1, /) -> bytes: ...


def inspect_upload(source: Readable, *, field: str = "file") -> CleanFile:
    """The upload as a CleanFile that is safe to store, or UploadRejected saying why not."""
    try:
        content = _read_bounded(source)
        if not content:
            raise UploadRejected(code="empty")
        if len(content) > MAX_UPLOAD_BYTES:
            raise UploadRejected(code="too_large")
        kind = _sniff(content)
        if kind is PDF:
            _check_pdf(content)
        else:
            content = _clean_image(content, kind)
    except UploadRejected as rejected:
        # The checks below know what is wrong but not which form field it came from.
        rejected.field = field
        raise
    return CleanFile(
        content=content,
        content_type=kind.content_type,
        extension=kind.extension,
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


def _read_bounded(source: Readable) -> bytes:
    """At most MAX_UPLOAD_BYTES + 1 bytes: one more than allowed is enough to refuse, and a
    hostile or endless upload is never read into memory whole."""
    seek = getattr(source, "seek", None)
    if seek is not None:
        # A form may already have looked at the file (Django's UploadedFile.chunks rewinds
        # too). A pipe or socket cannot rewind: read it from where it stands.
        with contextlib.suppress(OSError, ValueError):
            seek(0)
    limit = MAX_UPLOAD_BYTES + 1
    parts: list[bytes] = []
    total = 0
    while total < limit:
        part = source.read(min(_READ_CHUNK_BYTES, limit - total))
        if not part:
            break
        if not isinstance(part, bytes | bytearray | memoryview):
            raise TypeError("inspect_upload needs a file opened in binary mode")
        parts.append(bytes(part))
        total += len(part)
    return b"".join(parts)


# --- Types -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    content_type: str
    extension: str
    pillow_format: str


JPEG = _Kind("image/jpeg", ".jpg", "JPEG")
PNG = _Kind("image/png", ".png", "PNG")
PDF = _Kind("application/pdf", ".pdf", "")

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"


def _sniff(content: bytes) -> _Kind:
    if content.startswith(JPEG_MAGIC):
        return JPEG
    if content.startswith(PNG_MAGIC):
        return PNG
    # Readers accept a little junk before the header and after the end marker.
    if PDF_MAGIC in content[:1024]:
        if PDF_END not in content[-2048:]:
            # A PDF cut short, usually by a failed upload or download: say so, not "wrong type".
            raise UploadRejected(code="damaged")
        return PDF
    raise UploadRejected(code="wrong_type")


# --- Photos ----------------------------------------------------------------------------------

_PNG_MODES = {"1", "L", "LA", "I", "I;16", "RGB", "RGBA"}


def _clean_image(content: bytes, kind: _Kind) -> bytes:
    """The photo's pixels, upright, encoded again with no metadata."""
    try:
        # Only the format the magic bytes named: a JPEG is never parsed as anything else.
        with Image.open(io.BytesIO(content), formats=[kind.pillow_format]) as probe:
            # Opening reads only the header, so the size is known before any decoding.
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise UploadRejected(IMAGE_TOO_LARGE, code="too_large")
            probe.verify()
        # verify() leaves the image unusable, so open it again to decode the pixels.
        with Image.open(io.BytesIO(content), formats=[kind.pillow_format]) as image:
            image.load()
            clean = _for_format(_upright(image), kind)
            output = io.BytesIO()
            if kind is JPEG:
                clean.save(output, format="JPEG", quality=JPEG_QUALITY)
            else:
                clean.save(output, format="PNG", optimize=True)
            return output.getvalue()
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own, process-wide guard; ours above is lower. The limit is not set by
        # changing Image.MAX_IMAGE_PIXELS or the warning filters, because both are global to
        # the process and would affect other requests' threads.
        raise UploadRejected(IMAGE_TOO_LARGE, code="too_large") from None
    except Exception:
        # A hostile or broken file makes Pillow's decoders raise almost anything (OSError,
        # SyntaxError, ValueError, struct.error, ...); to the applicant it is all one problem.
        raise UploadRejected(code="damaged") from None


def _upright(image: Image.Image) -> Image.Image:
    """A copy turned the way the camera was held, so caseworkers need not rotate it."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:
        # Cheap phones write odd EXIF; a photo with a broken orientation tag is still a photo.
        return image.copy()


def _for_format(image: Image.Image, kind: _Kind) -> Image.Image:
    """`image` in a mode the output format can hold, with no metadata at all.

    Called with a copy we own, so its metadata can be cleared in place.
    """
    icc_profile = image.info.get("icc_profile")
    original_mode = image.mode
    if kind is JPEG:
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")  # CMYK and YCCK scans
    elif "transparency" in image.info:
        image = image.convert("RGBA")  # a transparent colour becomes a real alpha channel
    elif image.mode not in _PNG_MODES:
        image = image.convert("RGBA" if "A" in image.mode else "RGB")  # P, PA, CMYK, ...
    # Everything Pillow read besides the pixels: EXIF (with GPS position), XMP, comments, PNG
    # text chunks, DPI. Pillow's encoders copy some of these from `info` when saving.
    image.info = {}
    if icc_profile and image.mode == original_mode:
        # The colour profile holds no personal data and keeps skin tones true on wide-gamut
        # phone photos; after a mode change it would describe the wrong colours.
        image.info["icc_profile"] = icc_profile
    return image


# --- PDFs ------------------------------------------------------------------------------------
#
# Not a PDF parser: a conservative filter over the bytes. What it cannot read, it refuses.

# A PDF name runs from "/" to the next whitespace or delimiter, and may spell any character
# as #xx: "/J#61vaScript" is "/JavaScript".
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_NAME = re.compile(rb"/(" + _REGULAR + rb"*)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")

# Scripts (/JavaScript, /JS; an /OpenAction or /AA that runs a script names both), running
# programs (/Launch), attached files, Flash and video (/RichMedia), and XFA forms, which carry
# scripts of their own.
ACTIVE_NAMES = frozenset(
    {b"JavaScript", b"JS", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"}
)
# Photos inside scanned PDFs are random-looking bytes, where "/JS" and a delimiter turn up by
# chance about once in 270 MB: a few per cent of large scans would be refused. So "/JS" is
# looked for only outside stream data; hiding it there gains nothing, because a script action
# also says "/S /JavaScript". The other names are long enough never to turn up by chance (the
# shortest, "/XFA", about once in 70 GB), so they are looked for everywhere: in streams,
# strings and comments too, where a crafted cross-reference table might point a reader.
_SHORT_ACTIVE_NAMES = frozenset({b"JS"})
_LONG_ACTIVE_NAMES = ACTIVE_NAMES - _SHORT_ACTIVE_NAMES

# Encrypted streams, and streams in these filters, cannot be inflated here to look inside
# them. Modern PDF writers do not use these filters; they were for 7-bit channels and early
# Acrobat. (Image codecs are not listed: readers would not find objects in pixels.)
_UNREADABLE_NAMES = frozenset(
    {b"Encrypt", b"Crypt", b"LZWDecode", b"ASCIIHexDecode", b"ASCII85Decode", b"RunLengthDecode"}
)

# "stream" as a keyword (not the end of "endstream"), then the end of line it must have.
_STREAM_START = re.compile(rb"(?<=[\x00\t\n\x0c\r >])stream(?:\r\n|\n|\r)")
_STREAM_END = b"endstream"
# An object stream begins with a table of object numbers and offsets; content streams of
# text and drawing often do too, but pictures and fonts almost never.
_OBJECT_TABLE = re.compile(rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*[0-9]")

# Modern PDFs keep most objects in compressed object streams, where the names above are not
# visible in the file's bytes, so those streams are inflated and read too. Within limits, so
# that a zip bomb cannot use up memory or time; a PDF beyond them is refused.
_MAX_INFLATED_BYTES = 4 * MAX_UPLOAD_BYTES
_MAX_STREAMS = 100_000
_INFLATE_PIECE_BYTES = 64 * 1024
_PROBE_INPUT_BYTES = 1024
_PROBE_OUTPUT_BYTES = 256


def _check_pdf(content: bytes) -> None:
    names = _names(content)
    if not _LONG_ACTIVE_NAMES.isdisjoint(names):
        raise UploadRejected(code="active_content")
    if not _UNREADABLE_NAMES.isdisjoint(names):
        raise UploadRejected(code="damaged")
    for syntax in _outside_streams(content):
        if not _SHORT_ACTIVE_NAMES.isdisjoint(_names(syntax)):
            raise UploadRejected(code="active_content")
    for objects in _compressed_objects(content):
        if not _LONG_ACTIVE_NAMES.isdisjoint(_names(objects)):
            raise UploadRejected(code="active_content")


def _outside_streams(content: bytes) -> Iterator[bytes]:
    """The PDF's object syntax: everything but the data of its streams."""
    position = 0
    while (start := _STREAM_START.search(content, position)) is not None:
        yield content[position : start.start()]
        end = content.find(_STREAM_END, start.end())
        if end == -1:
            return
        position = end + len(_STREAM_END)
    yield content[position:]


def _compressed_objects(content: bytes) -> Iterator[bytes]:
    """The inflated text of every compressed stream that may hold objects.

    Every "stream" keyword is tried, even one inside another stream's data, so that objects
    cannot be hidden from this check by nesting them.
    """
    view = memoryview(content)
    budget = _MAX_INFLATED_BYTES
    for count, start in enumerate(_STREAM_START.finditer(content)):
        if count == _MAX_STREAMS:
            raise UploadRejected(code="damaged")
        data = view[start.end() :]
        try:
            head = zlib.decompressobj().decompress(data[:_PROBE_INPUT_BYTES], _PROBE_OUTPUT_BYTES)
        except zlib.error:
            continue  # not compressed with Flate: its bytes were searched as they are
        if not _OBJECT_TABLE.match(head):
            continue
        objects = _inflate(data, budget)
        budget -= len(objects)
        yield objects


def _inflate(data: memoryview, budget: int) -> bytes:
    """`data` inflated, up to the end of its compressed stream or the first error."""
    inflater = zlib.decompressobj()
    pieces: list[bytes] = []
    size = 0
    # Fed a piece at a time: zlib keeps a copy of whatever input follows the end of the
    # stream, and that must not be the rest of the file for every stream.
    for offset in range(0, len(data), _INFLATE_PIECE_BYTES):
        try:
            piece = inflater.decompress(
                data[offset : offset + _INFLATE_PIECE_BYTES], budget - size + 1
            )
        except zlib.error:
            break  # readers show what they can of a damaged stream; look at that much too
        pieces.append(piece)
        size += len(piece)
        if size > budget:
            raise UploadRejected(code="damaged")
        if inflater.eof:
            break
    return b"".join(pieces)


def _names(pdf_text: bytes) -> set[bytes]:
    """Every name in `pdf_text`, without the slash and with #xx escapes decoded."""
    # findall and set() run in C; most names repeat, so few are left to decode in Python.
    return {_unescape(name) for name in set(_NAME.findall(pdf_text))}


def _unescape(name: bytes) -> bytes:
    if b"#" not in name:
        return name
    return _NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), name)
