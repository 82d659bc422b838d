"""The SMS boundary: backends, the number and address normalisers, and no leaks into logs."""

from __future__ import annotations

import io
import logging
import re
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepassage.core import sms
from safepassage.core.errors import ValidationFailed
from safepassage.core.sms import (
    BIDI_MARKS,
    BaseSmsBackend,
    ConsoleSmsBackend,
    FileSmsBackend,
    LocmemSmsBackend,
    SmsMessage,
    clear_outbox,
    get_sms_backend,
    normalise_email,
    normalise_phone,
    send_sms,
)

E164 = re.compile(r"^\+[0-9]{8,15}$")
NUMBER = "+447700900123"
BODY = "Your Safe Passage code is 482913. Do not share it."
MESSAGES = [SmsMessage(to=NUMBER, body=BODY), SmsMessage(to="+9647701234567", body="كود: ٤٨٢٩١٣")]


@pytest.fixture(autouse=True)
def _empty_outbox():
    clear_outbox()
    yield
    clear_outbox()


# --- Backends --------------------------------------------------------------------------------


def test_console_backend_writes_each_message_with_a_header_and_separator():
    stream = io.StringIO()
    assert ConsoleSmsBackend(stream=stream).send_messages(MESSAGES) == 2
    output = stream.getvalue()
    assert f"SMS to: {NUMBER}\n\n{BODY}\n" in output
    assert "SMS to: +9647701234567\n\nكود: ٤٨٢٩١٣\n" in output
    assert output.count("-" * 79 + "\n") == 2


def test_console_backend_writes_to_standard_output_by_default(capsys):
    ConsoleSmsBackend().send_messages(MESSAGES[:1])
    assert BODY in capsys.readouterr().out


def test_console_backend_sends_nothing_for_no_messages():
    stream = io.StringIO()
    assert ConsoleSmsBackend(stream=stream).send_messages([]) == 0
    assert stream.getvalue() == ""


class BrokenStream(io.StringIO):
    def write(self, text):
        raise OSError("disk full")


def test_console_backend_raises_unless_told_to_fail_silently():
    with pytest.raises(OSError, match="disk full"):
        ConsoleSmsBackend(stream=BrokenStream()).send_messages(MESSAGES)
    assert ConsoleSmsBackend(stream=BrokenStream(), fail_silently=True).send_messages(MESSAGES) == 0


def test_file_backend_writes_one_private_utf8_file_per_message(settings, tmp_path):
    settings.SMS_FILE_PATH = tmp_path / "sms" / "nested"  # created on first use
    assert FileSmsBackend().send_messages(MESSAGES) == 2
    files = sorted(settings.SMS_FILE_PATH.iterdir())
    assert len(files) == 2
    assert {file.read_text(encoding="utf-8") for file in files} == {
        f"To: {NUMBER}\n\n{BODY}\n",
        "To: +9647701234567\n\nكود: ٤٨٢٩١٣\n",
    }
    for file in files:
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
        assert re.fullmatch(r"\d{8}-\d{6}-\d{6}-[0-9a-f]{8}\.txt", file.name)


def test_file_backend_names_never_collide(tmp_path):
    backend = FileSmsBackend(file_path=tmp_path)
    assert backend.send_messages([SmsMessage(to=NUMBER, body=str(n)) for n in range(50)]) == 50
    assert len(list(tmp_path.iterdir())) == 50


def test_file_backend_raises_unless_told_to_fail_silently(tmp_path):
    not_a_directory = tmp_path / "file"
    not_a_directory.write_text("")
    with pytest.raises(FileExistsError):
        FileSmsBackend(file_path=not_a_directory).send_messages(MESSAGES)
    assert (
        FileSmsBackend(file_path=not_a_directory, fail_silently=True).send_messages(MESSAGES) == 0
    )


def test_locmem_backend_appends_to_the_outbox():
    held = sms.outbox
    assert LocmemSmsBackend().send_messages(MESSAGES) == 2
    assert sms.outbox == MESSAGES
    clear_outbox()
    assert held is sms.outbox  # emptied in place, so a held reference stays live
    assert held == []


def test_the_base_backend_is_abstract():
    with pytest.raises(NotImplementedError):
        BaseSmsBackend().send_messages(MESSAGES)


@pytest.mark.parametrize(
    ("path", "backend_class"),
    [
        ("safepassage.core.sms.ConsoleSmsBackend", ConsoleSmsBackend),
        ("safepassage.core.sms.FileSmsBackend", FileSmsBackend),
        ("safepassage.core.sms.LocmemSmsBackend", LocmemSmsBackend),
    ],
)
def test_get_sms_backend_honours_the_setting(settings, path, backend_class):
    settings.SMS_BACKEND = path
    assert type(get_sms_backend()) is backend_class


def test_get_sms_backend_refuses_what_is_not_a_backend(settings):
    settings.SMS_BACKEND = "safepassage.core.sms.SmsMessage"
    with pytest.raises(TypeError):
        get_sms_backend()


def test_send_sms_normalises_the_number_and_sends_through_the_configured_backend(settings):
    settings.SMS_BACKEND = "safepassage.core.sms.LocmemSmsBackend"
    assert send_sms("\u200e0044 7700 900123", BODY) == 1
    assert sms.outbox == [SmsMessage(to=NUMBER, body=BODY)]


def test_send_sms_refuses_a_number_without_its_country_code(settings):
    settings.SMS_BACKEND = "safepassage.core.sms.LocmemSmsBackend"
    with pytest.raises(ValidationFailed) as raised:
        send_sms("07700 900123", BODY)
    assert "07700" not in str(raised.value)
    assert sms.outbox == []


def test_nothing_is_logged_when_sending(settings, tmp_path, caplog):
    settings.SMS_BACKEND = "safepassage.core.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path
    caplog.set_level(logging.DEBUG)
    assert send_sms("+44 7700 900123", BODY) == 1
    logged = caplog.text + "".join(repr(record.__dict__) for record in caplog.records)
    for secret in (NUMBER, "7700 900123", "7700900123", BODY, "482913"):
        assert secret not in logged


def test_a_message_repr_shows_neither_number_nor_body():
    shown = repr(SmsMessage(to=NUMBER, body=BODY)) + str(SmsMessage(to=NUMBER, body=BODY))
    assert NUMBER not in shown
    assert "482913" not in shown


# --- Phone numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("٠٠٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧", "+9647701234567"),  # noqa: RUF001 (Arabic-Indic digits)
        ("۰۰۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", "+989123456789"),  # Persian digits
        ("\u200e+44 7700 900123\u200e", "+447700900123"),  # LRM, as phones insert
        ("\u2067+964 770 123 4567\u2069", "+9647701234567"),  # isolates
        ("\u202b+93\u202c 70 123 4567", "+93701234567"),  # embedding
        ("+1 (415) 555-2671", "+14155552671"),
        ("+1.415.555.2671", "+14155552671"),
        ("+44 (0)20 7946 0958", "+442079460958"),  # the (0) is dialled only inside the country
        ("0044(0)2079460958", "+442079460958"),
        ("+353 (0) 1 234 5678", "+35312345678"),
        ("+44\u00a07700\u00a0900123", "+447700900123"),  # no-break spaces
        ("+251 91 123 4567", "+251911234567"),
        (" +380 44 123 45 67 ", "+380441234567"),
        ("+44 7700 900123" + " " * 100, "+447700900123"),  # trailing spaces do not count
        ("+12345678", "+12345678"),  # 8 digits: the shortest accepted
        ("+123456789012345", "+123456789012345"),  # 15 digits: the longest E.164 allows
    ],
)
def test_phone_numbers_normalise(typed, expected):
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "07700 900123",  # no international prefix: we cannot guess the country
        "7700900123",
        "+44 abc",
        "+44 7700 900123 ext 5",
        "+4477OO900123",  # letter O for zero
        "+1234567",  # too short
        "+1234567890123456",  # 16 digits
        "+0044 7700 900123",  # a country code never starts with 0
        "000 7700 900123",
        "++44 7700 900123",
        "+44+7700900123",
        "",
        "+",
        "00",
        "+44" + " " * 70 + "7700 900123",  # longer than anyone types a number
    ],
)
def test_phone_numbers_refused(typed):
    assert normalise_phone(typed) is None


# Parentheses are left to the examples: a "(0)" after the country code means something.
phone_noise = st.sampled_from([" ", "-", ".", "\u00a0", "\u2013", *BIDI_MARKS])
arabic_digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A valid E.164 number and one way a person might type it."""
    digits = draw(st.from_regex(r"[1-9][0-9]{7,14}", fullmatch=True))
    typed = "".join(character + draw(st.text(phone_noise, max_size=2)) for character in digits)
    typed = draw(st.sampled_from(["+", "00", "\u200e+"])) + typed
    if draw(st.booleans()):
        typed = typed.translate(arabic_digits)
    return f"+{digits}", typed


@settings(max_examples=300, deadline=None)
@given(typed_numbers())
def test_a_typed_number_normalises_to_its_e164_form(pair):
    number, typed = pair
    assert normalise_phone(typed) == number


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40) | typed_numbers().map(lambda pair: pair[1]))
def test_normalise_phone_never_raises_is_e164_and_idempotent(text):
    number = normalise_phone(text)
    if number is not None:
        assert E164.match(number)
        assert normalise_phone(number) == number


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"0?[1-9][0-9 ]{7,18}", fullmatch=True))
def test_a_number_without_an_international_prefix_is_refused(typed):
    # A national number, with or without its trunk 0: whose country? We do not guess.
    assert normalise_phone(typed) is None
    assert normalise_phone(typed.translate(arabic_digits)) is None


# --- Email addresses -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ali@example.com", "ali@example.com"),
        ("  Ali.Hassan@Example.COM \n", "Ali.Hassan@example.com"),  # only the domain lowered
        ("\u200fali@example.com\u200f", "ali@example.com"),
        ("first+tag@mail.example.org", "first+tag@mail.example.org"),
    ],
)
def test_email_addresses_normalise(typed, expected):
    assert normalise_email(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ali",
        "ali@localhost",  # no dot in the domain
        "ali@@example.com",
        "ali@home@example.com",
        "ali hassan@example.com",
        "ali@exa mple.com",
        "@example.com",
        "ali@",
        "ali@example..com",
        "a" * 243 + "@example.com",  # 255 characters
    ],
)
def test_email_addresses_refused(typed):
    assert normalise_email(typed) is None


def test_the_longest_address_accepted_is_254_characters():
    address = "a" * 242 + "@example.com"
    assert len(address) == 254
    assert normalise_email(address) == address


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.emails().map(str))
def test_normalise_email_never_raises_and_is_idempotent(text):
    address = normalise_email(text)
    if address is not None:
        assert normalise_email(address) == address
        assert len(address) <= 254
        assert address.count("@") == 1
