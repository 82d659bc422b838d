"""Uploaded identity documents: only real JPG, PNG and PDF files get in, photos lose their
metadata, PDFs with active content are refused, and stored files stay private."""

from __future__ import annotations

import hashlib
import io
import stat
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, PngImagePlugin

from safepassage.applications.letters import warm_up
from safepassage.applications.storage import open_stored, private_storage, store_clean_file
from safepassage.applications.uploads import (
    MAX_UPLOAD_BYTES,
    CleanFile,
    UploadRejected,
    inspect_upload,
)
from safepassage.core.errors import ValidationFailed

EMPTY = "The selected file is empty"
TOO_LARGE = "The file must be smaller than 10 MB"
WRONG_TYPE = "The file must be a JPG, PNG or PDF"
DAMAGED = "The file could not be opened. Take the photo again, or save the file again and upload it"
ACTIVE_CONTENT = (
    "The PDF contains scripts or attached files. Print it to a new PDF, or upload photos of "
    "the pages instead"
)
IMAGE_TOO_LARGE = "The image is too large. Take the photo again at a lower resolution"


# --- Making test files -----------------------------------------------------------------------


def upload(content: bytes, name: str = "document", content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def encode(image: Image.Image, format: str, **params: object) -> bytes:
    output = io.BytesIO()
    image.save(output, format=format, **params)
    return output.getvalue()


def two_colour_photo(size: tuple[int, int] = (20, 10)) -> Image.Image:
    """Red on the left half, blue on the right, so a rotation can be seen."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    return image


def jpeg_with_gps(orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model-X"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (36.0, 12.0, 30.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (37.0, 9.0, 10.25)
    return encode(
        two_colour_photo(),
        "JPEG",
        quality=95,
        exif=exif,
        xmp=b"<x:xmpmeta>CreatorTool: secret-app</x:xmpmeta>",
        comment=b"taken at the border",
    )


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Applicant Name")
    info.add_text("Location", "Camp 4, tent 12", zip=True)
    info.add_itxt("Comment", "private note")
    return encode(two_colour_photo(), "PNG", pnginfo=info)


def huge_bilevel_png(width: int, height: int) -> bytes:
    """A small PNG file that claims a huge black-and-white picture (a decompression bomb).

    Written chunk by chunk: Pillow would need a byte per pixel to make it.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter type, then the packed pixels
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), dictionary, data)


def make_pdf(*extra_objects: bytes, catalog: bytes = b"", padding: int = 0) -> bytes:
    """A small valid PDF: one page saying "Passport", with a correct cross-reference table.

    `extra_objects` are numbered from 5; `catalog` is added to the document catalog;
    `padding` bytes of comment make the file as large as a test needs.
    """
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R" + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica"
        b" >> >> >> >>",
        pdf_stream(b"BT /F1 24 Tf 72 720 Td (Passport) Tj ET"),
        *extra_objects,
    ]
    pdf = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        pdf += b"%" + b" " * max(padding - 2, 0) + b"\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(pdf)


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly `size` bytes."""
    padding = size - len(make_pdf())
    pdf = make_pdf(padding=padding)
    pdf = make_pdf(padding=padding + size - len(pdf))  # the xref offset may gain a digit
    assert len(pdf) == size
    return pdf


def object_stream(*objects: tuple[int, bytes], dictionary: bytes = b"") -> bytes:
    """A compressed object stream holding `objects` (number, body), as PDF 1.5 writers make."""
    bodies = b""
    table = b""
    for number, body in objects:
        table += b"%d %d " % (number, len(bodies))
        bodies += body + b"\n"
    compressed = zlib.compress(table + bodies)
    return pdf_stream(
        compressed,
        b" /Type /ObjStm /N %d /First %d /Filter /FlateDecode%s"
        % (len(objects), len(table), dictionary),
    )


class CountingReader:
    """A file-like object that counts what is read from it; endless if asked."""

    def __init__(self, content: bytes, *, endless: bool = False) -> None:
        self.stream = io.BytesIO(content)
        self.endless = endless
        self.bytes_read = 0

    def read(self, size: int = -1, /) -> bytes:
        if self.endless:
            data = b" " * (size if size >= 0 else 10 * MAX_UPLOAD_BYTES)
        else:
            data = self.stream.read(size)
        self.bytes_read += len(data)
        return data


def rejection(content: bytes | CountingReader, **kwargs: str) -> UploadRejected:
    source = content if isinstance(content, CountingReader) else upload(content)
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(source, **kwargs)
    return caught.value


def opened(clean: CleanFile) -> Image.Image:
    return Image.open(io.BytesIO(clean.content))


# --- Photos ----------------------------------------------------------------------------------


def test_jpeg_loses_exif_gps_xmp_and_comment():
    original = jpeg_with_gps()
    # The test file really carries what must be removed.
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    clean = inspect_upload(upload(original, "IMG_0001.jpg", "image/jpeg"))

    assert (clean.content_type, clean.extension) == ("image/jpeg", ".jpg")
    image = opened(clean)
    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "comment"} & image.info.keys()
    for trace in (b"Exif", b"PhoneMaker", b"Model-X", b"xmpmeta", b"secret-app", b"border"):
        assert trace not in clean.content


def test_jpeg_is_turned_the_way_the_camera_was_held():
    clean = inspect_upload(upload(jpeg_with_gps(orientation=6)))

    image = opened(clean).convert("RGB")
    # Orientation 6: the camera was turned a quarter clockwise, so the 20x10 picture is shown
    # 10x20, with its left (red) half at the top.
    assert image.size == (10, 20)
    top = image.getpixel((5, 2))
    bottom = image.getpixel((5, 17))
    assert isinstance(top, tuple)
    assert isinstance(bottom, tuple)
    assert top[0] > 200  # red
    assert bottom[2] > 200  # blue


def test_png_loses_text_chunks():
    original = png_with_text()
    assert Image.open(io.BytesIO(original)).text

    clean = inspect_upload(upload(original, "scan.png", "image/png"))

    assert (clean.content_type, clean.extension) == ("image/png", ".png")
    image = opened(clean)
    assert image.format == "PNG"
    assert image.text == {}
    for chunk_type in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk_type not in clean.content
    assert b"Applicant Name" not in clean.content


def test_clean_file_describes_its_own_content():
    clean = inspect_upload(upload(jpeg_with_gps()))

    assert clean.size == len(clean.content)
    assert clean.sha256 == hashlib.sha256(clean.content).hexdigest()


@pytest.mark.parametrize(
    ("image", "format", "expected_mode"),
    [
        (Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG", "RGB"),
        (Image.new("L", (8, 8), 128), "JPEG", "L"),
        (Image.new("P", (8, 8), 3), "PNG", "RGB"),
        (Image.new("LA", (8, 8), (128, 50)), "PNG", "LA"),
        (Image.new("RGBA", (8, 8), (1, 2, 3, 4)), "PNG", "RGBA"),
        (Image.new("1", (8, 8), 1), "PNG", "1"),
    ],
    ids=["cmyk-jpeg", "grey-jpeg", "palette-png", "grey-alpha-png", "rgba-png", "bilevel-png"],
)
def test_modes_are_converted_to_ones_the_format_holds(image, format, expected_mode):
    clean = inspect_upload(upload(encode(image, format)))

    assert opened(clean).mode == expected_mode


def test_transparent_palette_png_keeps_its_transparency():
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 0, 0, 0, 0, 255])
    image.paste(1, (0, 0, 4, 8))

    clean = opened(inspect_upload(upload(encode(image, "PNG", transparency=0))))

    assert clean.mode == "RGBA"
    assert clean.getpixel((6, 0))[3] == 0
    assert clean.getpixel((1, 0)) == (0, 0, 255, 255)


def test_truncated_jpeg_is_damaged():
    photo = encode(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG")

    error = rejection(photo[: len(photo) // 2])

    assert error.code == "damaged"
    assert str(error.message) == DAMAGED


def test_a_truncated_jpeg_is_still_damaged_once_letters_have_been_rendered():
    # WeasyPrint's import tells Pillow to accept truncated images, for the whole process; a web
    # process loads it at start (letters.warm_up).
    warm_up()
    photo = encode(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG")
    assert rejection(photo[: len(photo) // 2]).code == "damaged"


def test_png_with_a_broken_checksum_is_damaged():
    photo = bytearray(png_with_text())
    photo[-20] ^= 0xFF  # inside the image data, near the end

    assert rejection(bytes(photo)).code == "damaged"


def test_decompression_bomb_is_too_large():
    bomb = huge_bilevel_png(20_000, 20_000)
    assert len(bomb) < 200_000  # small to send, 400 million pixels to decode

    error = rejection(bomb)

    assert error.code == "too_large"
    assert str(error.message) == IMAGE_TOO_LARGE


def test_image_over_our_own_pixel_limit_is_too_large():
    # 48 million pixels: under Pillow's process-wide limit, over ours.
    error = rejection(huge_bilevel_png(8_000, 6_000))

    assert error.code == "too_large"
    assert str(error.message) == IMAGE_TOO_LARGE


# --- Types -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, id="windows-exe"),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, id="elf"),
        pytest.param(b"<!DOCTYPE html><html><script>alert(1)</script></html>", id="html"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 100, id="zip"),
        pytest.param(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", id="heic"),
        pytest.param(encode(Image.new("RGB", (4, 4)), "GIF"), id="gif"),
        pytest.param(b"Passport number: X1234567\n", id="text"),
    ],
)
def test_other_types_are_refused(content):
    error = rejection(content)

    assert error.code == "wrong_type"
    assert str(error.message) == WRONG_TYPE


def test_type_comes_from_the_content_not_the_name_or_content_type():
    executable = upload(b"MZ\x90\x00" + b"\x00" * 500, "passport.pdf", "application/pdf")

    with pytest.raises(UploadRejected) as caught:
        inspect_upload(executable)

    assert caught.value.code == "wrong_type"
    assert str(caught.value.message) == WRONG_TYPE


def test_empty_file_is_refused():
    error = rejection(b"")

    assert error.code == "empty"
    assert str(error.message) == EMPTY


def test_rejection_names_the_field_and_is_a_validation_failure():
    error = rejection(b"", field="passport_photo")

    assert isinstance(error, ValidationFailed)
    assert error.field == "passport_photo"
    assert error.field_errors() == {"passport_photo": [EMPTY]}
    assert rejection(b"").field == "file"


def test_file_of_exactly_the_limit_is_accepted():
    pdf = pdf_of_size(MAX_UPLOAD_BYTES)

    clean = inspect_upload(upload(pdf))

    assert clean.size == MAX_UPLOAD_BYTES
    assert clean.content == pdf


def test_file_one_byte_over_the_limit_is_too_large_and_not_read_further():
    reader = CountingReader(pdf_of_size(MAX_UPLOAD_BYTES + 1))

    error = rejection(reader)

    assert error.code == "too_large"
    assert str(error.message) == TOO_LARGE
    assert reader.bytes_read == MAX_UPLOAD_BYTES + 1


def test_endless_upload_is_not_read_into_memory():
    reader = CountingReader(b"", endless=True)

    assert rejection(reader).code == "too_large"
    assert reader.bytes_read == MAX_UPLOAD_BYTES + 1


def test_upload_already_read_by_a_form_is_read_from_the_start():
    source = upload(make_pdf())
    source.read()

    assert inspect_upload(source).content == make_pdf()


# --- PDFs ------------------------------------------------------------------------------------


def test_valid_pdf_is_accepted_unchanged():
    pdf = make_pdf()

    clean = inspect_upload(upload(pdf, "scan.pdf", "application/pdf"))

    assert clean.content == pdf
    assert (clean.content_type, clean.extension, clean.size) == (
        "application/pdf",
        ".pdf",
        len(pdf),
    )


def test_pdf_with_junk_before_the_header_is_still_a_pdf():
    assert inspect_upload(upload(b"\r\n" * 10 + make_pdf())).extension == ".pdf"


def test_pdf_cut_short_is_damaged():
    pdf = make_pdf(padding=4000)

    error = rejection(pdf[:3000])

    assert error.code == "damaged"
    assert str(error.message) == DAMAGED


@pytest.mark.parametrize(
    ("catalog", "extra_objects"),
    [
        pytest.param(b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>", (), id="javascript"),
        pytest.param(b" /OpenAction << /S /J#61vaScript /J#53 (x) >>", (), id="hex-escaped"),
        pytest.param(b" /OpenAction 5 0 R", (b"<< /JS (app.alert(1)) >>",), id="js-alone"),
        pytest.param(b" /OpenAction << /S /Launch /F (cmd.exe) >>", (), id="launch"),
        pytest.param(
            b" /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
            (pdf_stream(b"MZ", b" /Type /EmbeddedFile"),),
            id="embedded-file",
        ),
        pytest.param(
            b"",
            (pdf_stream(b"MZ", b" /Type /Embedde#64File"),),
            id="hex-escaped-embedded-file",
        ),
        pytest.param(b" /AcroForm << /XFA 5 0 R >>", (pdf_stream(b"<xdp/>"),), id="xfa"),
        pytest.param(b" /RichMedia 5 0 R", (b"<< >>",), id="rich-media"),
    ],
)
def test_pdf_with_active_content_is_refused(catalog, extra_objects):
    error = rejection(make_pdf(*extra_objects, catalog=catalog))

    assert error.code == "active_content"
    assert str(error.message) == ACTIVE_CONTENT


def test_script_hidden_in_a_compressed_object_stream_is_refused():
    pdf = make_pdf(
        object_stream((6, b"<< /S /JavaScript /JS (app.alert(1)) >>")),
        catalog=b" /OpenAction 6 0 R",
    )
    assert b"JavaScript" not in pdf  # invisible without inflating

    assert rejection(pdf).code == "active_content"


def test_script_in_an_object_stream_nested_inside_another_stream_is_refused():
    hidden = b"6 0 obj\n" + object_stream((7, b"<< /S /J#61vaScript /JS (x) >>")) + b"\nendobj"
    pdf = make_pdf(pdf_stream(hidden))

    assert rejection(pdf).code == "active_content"


def test_pdf_with_harmless_object_stream_is_accepted():
    pdf = make_pdf(object_stream((6, b"<< /Title (Passport) /Producer (Scanner) >>")))

    assert inspect_upload(upload(pdf)).content == pdf


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param(b"<< /Title (JavaScript guide) >>", id="word-in-a-string"),
        pytest.param(b"<< /JSomething 1 /XJS 2 /JS1 3 >>", id="longer-names"),
        pytest.param(b"<< /OpenAction [3 0 R /Fit] >>", id="open-action-without-script"),
        # Bytes of a photo may hold "/JS" by chance; stream data is not PDF syntax.
        pytest.param(pdf_stream(b"\x8f\x02/JS \x91/JS\x00", b" /Filter /DCTDecode"), id="photo"),
    ],
)
def test_pdf_that_only_looks_active_is_accepted(extra):
    pdf = make_pdf(extra)

    assert inspect_upload(upload(pdf)).content == pdf


def test_encrypted_pdf_cannot_be_checked_and_is_refused():
    pdf = make_pdf(b"<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>")
    pdf = pdf.replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 5 0 R")

    error = rejection(pdf)

    assert error.code == "damaged"
    assert str(error.message) == DAMAGED


def test_pdf_stream_in_a_filter_we_cannot_read_is_refused():
    pdf = make_pdf(pdf_stream(b"800C", b" /Filter /LZWDecode"))

    assert rejection(pdf).code == "damaged"


def test_compressed_object_stream_bomb_is_refused():
    bomb = b"1 0 " + b" " * (5 * MAX_UPLOAD_BYTES)
    pdf = make_pdf(
        pdf_stream(zlib.compress(bomb, 9), b" /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode")
    )
    assert len(pdf) < MAX_UPLOAD_BYTES

    assert rejection(pdf).code == "damaged"


# --- Properties ------------------------------------------------------------------------------

MAGIC_HEADERS = [b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-"]


def inspect_or_reject(content: bytes) -> None:
    """inspect_upload must answer with a CleanFile or UploadRejected, nothing else."""
    outcome: CleanFile | UploadRejected
    try:
        outcome = inspect_upload(io.BytesIO(content))
    except UploadRejected as error:
        outcome = error
    if isinstance(outcome, UploadRejected):
        assert outcome.code in {"empty", "too_large", "wrong_type", "damaged", "active_content"}
        assert str(outcome.message)
    else:
        assert outcome.extension in {".jpg", ".png", ".pdf"}


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_any_bytes_are_accepted_or_rejected(content):
    inspect_or_reject(content)


@hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(MAGIC_HEADERS),
    st.binary(max_size=4096),
    st.sampled_from([b"", b"%%EOF", b"\nstream\n" + zlib.compress(b"1 0 /JS")]),
)
def test_any_bytes_after_a_magic_header_are_accepted_or_rejected(magic, body, tail):
    inspect_or_reject(magic + body + tail)


VALID_FILES = [
    jpeg_with_gps(),
    png_with_text(),
    make_pdf(object_stream((6, b"<< /Title (x) >>"))),
]


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(VALID_FILES),
    st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    st.integers(min_value=0),
)
def test_damaged_valid_files_are_accepted_or_rejected(original, changes, cut):
    damaged = bytearray(original)
    for position, value in changes:
        damaged[position % len(damaged)] = value
    inspect_or_reject(bytes(damaged[: max(cut % (len(damaged) + 1), 1)]))


# --- Storage ---------------------------------------------------------------------------------


@pytest.fixture
def private_root(settings, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def clean_pdf() -> CleanFile:
    return inspect_upload(upload(make_pdf(), "my passport.pdf", "application/pdf"))


def test_stored_file_has_a_random_name_in_two_levels_of_directories(private_root, clean_pdf):
    name = store_clean_file(clean_pdf)

    directory, subdirectory, file_name = name.split("/")
    assert (directory, subdirectory) == (file_name[:2], file_name[2:4])
    assert file_name.endswith(".pdf")
    assert len(file_name.removesuffix(".pdf")) == 32  # 24 random bytes
    assert "passport" not in name
    assert (private_root / name).read_bytes() == clean_pdf.content


def test_same_content_is_stored_twice_under_different_names(private_root, clean_pdf):
    assert store_clean_file(clean_pdf) != store_clean_file(clean_pdf)


def test_stored_file_and_its_directories_are_private(private_root, clean_pdf):
    name = store_clean_file(clean_pdf)

    path = private_root / name
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.parent.parent.stat().st_mode) == 0o700


def test_open_stored_reads_the_file_back(private_root, clean_pdf):
    name = store_clean_file(clean_pdf)

    with open_stored(name) as stored:
        assert stored.read() == clean_pdf.content


@pytest.mark.parametrize("name", ["../x", "ab/../../x", "/etc/passwd", "", "ab\\..\\x"])
def test_open_stored_refuses_names_outside_the_store(private_root, name):
    with pytest.raises(ValueError, match="not a stored file name"):
        open_stored(name)


def test_private_files_have_no_url(private_root, clean_pdf):
    name = store_clean_file(clean_pdf)

    with pytest.raises(NotImplementedError, match="permission-checked view"):
        private_storage().url(name)


def test_storage_is_where_settings_say(private_root):
    assert Path(private_storage().location) == private_root
