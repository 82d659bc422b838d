"""Text messages: the gateway boundary, shaped like Django's email backends.

The SMS gateway is a service we do not own. Code sends through `send_sms`; the backend named
by ``settings.SMS_BACKEND`` decides where the message goes:

* ConsoleSmsBackend prints it (development);
* FileSmsBackend writes one file per message into ``settings.SMS_FILE_PATH``;
* LocmemSmsBackend keeps it in `outbox` (tests);
* a real gateway is one more subclass of BaseSmsBackend.

A message body usually carries a one-time code and the number identifies a person at risk,
so nothing here logs either, at any level, and `SmsMessage` keeps them out of its repr (which
ends up in tracebacks and error reports).

The normalisers for the contact details applicants type live here too: what we store is
what we send to.
"""

from __future__ import annotations

import os
import re
import secrets
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from safepassage.core.errors import ValidationFailed
from safepassage.core.text import ascii_digits


@dataclass(frozen=True)
class SmsMessage:
    to: str = field(repr=False)
    body: str = field(repr=False)

    def __repr__(self) -> str:
        # Never the number or the body: a repr lands in logs, tracebacks and error reports.
        return f"SmsMessage(<{len(self.body)} characters>)"


class BaseSmsBackend:
    """Send text messages. Subclasses implement send_messages."""

    def __init__(self, *, fail_silently: bool = False, **kwargs: Any) -> None:
        self.fail_silently = fail_silently

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        """Send the messages; return how many were sent."""
        raise NotImplementedError("subclasses of BaseSmsBackend must implement send_messages()")


class ConsoleSmsBackend(BaseSmsBackend):
    """Write each message to a stream (standard output unless told otherwise)."""

    SEPARATOR = "-" * 79

    def __init__(self, *, stream: TextIO | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.stream = stream if stream is not None else sys.stdout
        # Messages from several threads must not interleave.
        self._lock = threading.RLock()

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        sent = 0
        with self._lock:
            try:
                for message in messages:
                    self.stream.write(f"SMS to: {message.to}\n\n{message.body}\n")
                    self.stream.write(f"{self.SEPARATOR}\n")
                    self.stream.flush()
                    sent += 1
            except Exception:
                if not self.fail_silently:
                    raise
        return sent


class FileSmsBackend(BaseSmsBackend):
    """Write each message to its own UTF-8 file, readable only by the service's user."""

    def __init__(self, *, file_path: str | Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.file_path = Path(file_path if file_path is not None else settings.SMS_FILE_PATH)

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        sent = 0
        try:
            self.file_path.mkdir(mode=0o700, parents=True, exist_ok=True)
            for message in messages:
                self._write(message)
                sent += 1
        except Exception:
            if not self.fail_silently:
                raise
        return sent

    def _write(self, message: SmsMessage) -> None:
        # Timestamp first so the files sort in the order they were sent; the random part keeps
        # two messages in the same microsecond apart, and O_EXCL refuses to overwrite.
        name = f"{datetime.now(UTC):%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}.txt"
        descriptor = os.open(self.file_path / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        # The umask can only take bits away; set the mode outright so it is exactly 0o600.
        os.fchmod(descriptor, 0o600)
        with open(descriptor, "w", encoding="utf-8") as stream:
            stream.write(f"To: {message.to}\n\n{message.body}\n")


outbox: list[SmsMessage] = []


def clear_outbox() -> None:
    # Emptied in place: a test may hold a reference to the list.
    outbox.clear()


class LocmemSmsBackend(BaseSmsBackend):
    """Keep messages in the module's `outbox` list, for tests."""

    def send_messages(self, messages: Sequence[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def get_sms_backend(backend: str | None = None, **kwargs: Any) -> BaseSmsBackend:
    """The backend named by ``backend`` or else ``settings.SMS_BACKEND``."""
    backend_class = import_string(backend or settings.SMS_BACKEND)
    instance = backend_class(**kwargs)
    if not isinstance(instance, BaseSmsBackend):
        raise TypeError(f"{backend or settings.SMS_BACKEND} is not an SMS backend")
    return instance


def send_sms(to: str, body: str) -> int:
    """Send one text message; return how many were sent (1, or 0 if the backend failed
    silently). ``to`` may be as typed: it is normalised to E.164 first."""
    number = normalise_phone(to)
    if number is None:
        # The error does not repeat the number: error messages end up in logs.
        raise ValidationFailed(
            _("Enter a phone number with its country code, starting with + or 00."),
            field="phone",
        )
    return get_sms_backend().send_messages([SmsMessage(to=number, body=body)])


# --- Normalisers -----------------------------------------------------------------------------

# Phones wrap numbers shown in right-to-left text in invisible direction marks, and copying
# the number copies them: LRM, RLM, ALM, the embeddings and overrides, and the isolates.
BIDI_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_STRIP_BIDI = str.maketrans("", "", BIDI_MARKS)
# How people group the digits: spaces (including no-break ones), hyphens and the dashes
# autocorrect makes, dots and parentheses.
_PHONE_SEPARATORS = re.compile(r"[\s\-.()\u2010\u2011\u2012\u2013\u2014\u2212]+")
# "+44 (0)20 ..." means "dial the 0 only from inside the country": it is not part of the
# number. Only right after the prefix and a country code (1 to 3 digits), where it means that.
_TRUNK_ZERO = re.compile(r"^(\+|00)[\s\-.]*([1-9][0-9]{0,2})[\s\-.]*\(\s*0\s*\)")
# E.164: a country code never starts with 0, and the whole number has at most 15 digits.
# Fewer than 8 is not a mobile number anywhere we serve.
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")
MAX_TYPED_LENGTH = 64  # longer than any way of writing a 15-digit number


def normalise_phone(text: str) -> str | None:
    """The E.164 form (``+`` and 8 to 15 digits) of a phone number as typed, or None.

    The number must carry its international prefix, ``+`` or ``00``: applicants are in many
    countries and we cannot guess which one a local number belongs to.
    """
    typed = ascii_digits(text.translate(_STRIP_BIDI)).strip()
    if len(typed) > MAX_TYPED_LENGTH:
        return None  # bounds the work on whatever was pasted
    typed = _PHONE_SEPARATORS.sub("", _TRUNK_ZERO.sub(r"\1\2", typed))
    if typed.startswith("00"):
        typed = "+" + typed[2:]
    # [0-9] in the pattern, not \d, which in Python matches the digits of every script.
    return typed if _E164.fullmatch(typed) else None


MAX_EMAIL_LENGTH = 254  # the most an SMTP path can carry (RFC 5321, with its errata)


def normalise_email(text: str) -> str | None:
    """The address trimmed and with its domain in lower case, or None if it is not valid.

    The local part keeps its case: strictly, only the receiving server may decide whether
    it matters.
    """
    address = text.translate(_STRIP_BIDI).strip()
    if len(address) > MAX_EMAIL_LENGTH or address.count("@") != 1:
        return None
    if any(character.isspace() for character in address):
        return None
    local, domain = address.split("@")
    address = f"{local}@{domain.lower()}"
    if "." not in domain:
        return None
    try:
        validate_email(address)
    except ValidationError:
        return None
    return address
