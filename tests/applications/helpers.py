"""Typed helpers for the portal's page tests, beside journey.py's: reading pages, codes sent by
text message, walking the questions under /apply/ or /partner/, partner caseworkers."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image

from safepassage.applications.models import Application, PartnerMembership, PartnerOrganisation
from safepassage.core import sms
from safepassage.core.models import User
from safepassage.core.roles import Role
from tests.applications.journey import ANSWERS

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

# "+964 770 123 4567" as typed on an Arabic keyboard, and as stored.
ARABIC_PHONE = "+٩٦٤ ٧٧٠ ١٢٣ ٤٥٦٧"  # noqa: RUF001 (Arabic-Indic digits)
PHONE = "+9647701234567"

CODE = re.compile(r"(?<![0-9])([0-9]{6})(?![0-9])")

# Messages the applicant reads, exactly as the code has them.
CODE_EXPIRED = "This code has expired or has already been used. Ask for a new code."
CODE_LOCKED = (
    "You entered a wrong code too many times. For your security, wait 30 minutes, then ask for "
    "a new code."
)
TOO_MANY_CODES = (
    "You have asked for 5 codes in the last hour. Wait an hour, then ask for a new code. Check "
    "your spam folder or messages for a code we already sent."
)
BAD_CONTACT = (
    "Enter an email address, or a mobile number starting with + and the country code, like "
    "+964 770 123 4567"
)
BAD_EMAIL = "Enter an email address in the correct format, like name@example.com"
SIGN_IN_FIRST = "Sign in with a code to continue."
WRONG_TYPE = "The file must be a JPG, PNG or PDF"
TOO_LARGE = "The file must be smaller than 10 MB"


def wrong_code(left: int) -> str:
    return f"The code is not right. Check it and try again. Tries left: {left}"


# --- Reading pages ---------------------------------------------------------------------------


class _PageParser(HTMLParser):
    """The error summary's messages and every URL a page links or posts to."""

    URL_ATTRIBUTES = frozenset({"href", "action", "src", "formaction"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.errors: list[str] = []
        self.urls: list[str] = []
        self._in_error_list = False
        self._item: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in self.URL_ATTRIBUTES and value is not None:
                self.urls.append(value)
        classes = (dict(attrs).get("class") or "").split()
        if tag == "ul" and "govuk-error-summary__list" in classes:
            self._in_error_list = True
        elif tag == "li" and self._in_error_list:
            self._item = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "li" and self._item is not None:
            self.errors.append(" ".join("".join(self._item).split()))
            self._item = None
        elif tag == "ul" and self._in_error_list:
            self._in_error_list = False

    def handle_data(self, data: str) -> None:
        if self._item is not None:
            self._item.append(data)


def _parsed(response: Response) -> _PageParser:
    parser = _PageParser()
    parser.feed(response.content.decode())
    parser.close()
    return parser


def errors(response: Response) -> list[str]:
    """The messages in the page's error summary, as the applicant reads them."""
    return _parsed(response).errors


def page_urls(response: Response) -> list[str]:
    return _parsed(response).urls


def text(response: Response) -> str:
    """The page with its entities decoded and its whitespace collapsed."""
    return " ".join(html.unescape(response.content.decode()).split())


class RecordingClient(Client):
    """A test client that keeps every URL it was sent to, redirected to, or shown a link to."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen_urls: list[str] = []

    def request(self, **request: Any) -> Response:
        response = super().request(**request)
        self.seen_urls.append(request.get("PATH_INFO", "") + "?" + request.get("QUERY_STRING", ""))
        if response.has_header("Location"):
            self.seen_urls.append(response["Location"])
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            self.seen_urls.extend(page_urls(response))
        return response


# --- Signing in ------------------------------------------------------------------------------


def email_code() -> str:
    match = CODE.search(str(mail.outbox[-1].body))
    assert match, "no code in the last email"
    return match.group(1)


def sms_code() -> str:
    match = CODE.search(sms.outbox[-1].body)
    assert match, "no code in the last text message"
    return match.group(1)


def ask_for_code(client: Client, contact: str) -> Response:
    return client.post("/apply/sign-in/", {"contact": contact})


def enter_code(client: Client, code: str) -> Response:
    return client.post("/apply/sign-in/code/", {"code": code})


def sign_in_by_email(client: Client, email: str) -> None:
    assert ask_for_code(client, email).status_code == 302
    response = enter_code(client, email_code())
    assert response.status_code == 302, errors(response)
    assert response["Location"] == "/apply/applications/"


def sign_out(client: Client) -> None:
    assert client.post("/apply/sign-out/").status_code == 302


# --- The questions ---------------------------------------------------------------------------


def base_url(application: Application, namespace: str = "apply") -> str:
    return f"/{namespace}/application/{application.public_id}"


def answer_pages(
    client: Client, base: str, answers: dict[str, dict[str, Any]] | None = None
) -> None:
    """Post every question page (journey.ANSWERS unless told otherwise), then the uploads
    page's continue; each must be accepted."""
    for slug, data in (answers if answers is not None else ANSWERS).items():
        response = client.post(f"{base}/{slug}/", data)
        assert response.status_code == 302, (slug, errors(response))
    response = client.post(f"{base}/uploads/", {"action": "continue"})
    assert response.status_code == 302


def check_key(client: Client, base: str) -> str:
    page = client.get(f"{base}/check/")
    match = re.search(r'name="key" value="([0-9a-f]+)"', page.content.decode())
    assert match, errors(page)
    return match.group(1)


def send(client: Client, base: str, key: str | None = None) -> Response:
    return client.post(
        f"{base}/check/", {"key": key if key is not None else check_key(client, base)}
    )


def add_child(client: Client, base: str, given_names: str, born: tuple[str, str, str]) -> Any:
    day, month, year = born
    return client.post(
        f"{base}/children/",
        {
            "action": "add",
            "given_names": given_names,
            "family_name": "Haddad",
            "date_of_birth_day": day,
            "date_of_birth_month": month,
            "date_of_birth_year": year,
        },
    )


# --- Files -----------------------------------------------------------------------------------


def png_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, "teal").save(output, format="PNG")
    return output.getvalue()


def png_upload(name: str = "passport.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def executable_as_pdf() -> SimpleUploadedFile:
    """A Windows program (its 'MZ' header and DOS stub) named and typed as a PDF."""
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48
    program += b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200
    return SimpleUploadedFile("passport.pdf", program, content_type="application/pdf")


def upload(client: Client, base: str, file: Any, kind: str = "passport") -> Response:
    """Upload a file on the application's uploads page."""
    return client.post(f"{base}/uploads/", {"action": "upload", "kind": kind, "file": file})


def streamed(response: Any) -> bytes:
    """The body of a streamed file response. Reading it to the end closes the file; the test
    client does that as a server would. (Calling close() again would also close the database
    connection, as at the end of a real request.)"""
    return b"".join(response.streaming_content)


# --- Partners --------------------------------------------------------------------------------


def make_partner_caseworker(
    make_user: Callable[..., User], organisation: PartnerOrganisation
) -> User:
    user = make_user(Role.PARTNER_CASEWORKER)
    PartnerMembership.objects.create(user=user, organisation=organisation)
    return user


def sign_in_staff(client: Client, user: User) -> None:
    """Sign `client` in as `user` with both factors, as tests.conftest.signed_in_client does."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
    session.save()


def assisted_start(client: Client, contact: str, **fields: Any) -> Response:
    data: dict[str, Any] = {
        "contact": contact,
        "language": "en",
        "method": "verbal",
        "script_read": "on",
        **fields,
    }
    return client.post("/partner/start/", data)


def newest_application() -> Application:
    application = Application.objects.order_by("-pk").first()
    assert application is not None
    return application


def make_case_reader(make_user: Callable[..., User]) -> User:
    """Someone whose one role lets them read visa cases and do nothing to them. Permissions come
    only through roles (core.auth_backends), so this is a role of its own."""
    from django.contrib.auth.models import Group, Permission

    reader = make_user()
    role, _created = Group.objects.get_or_create(name="case_reader")
    role.permissions.add(Permission.objects.get(codename="view_application"))
    reader.groups.add(role)
    return User.objects.get(pk=reader.pk)
