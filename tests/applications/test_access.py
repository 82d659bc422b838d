"""Signing in to the applicant portal with a one-time code, as an applicant would."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from unittest import mock
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from safepassage.applications import events
from safepassage.applications.models import AccessCode, Applicant, ContactKind
from safepassage.audit.models import AuditEvent
from safepassage.core import sms
from tests.applications.helpers import (
    ARABIC_PHONE,
    BAD_CONTACT,
    BAD_EMAIL,
    CODE_EXPIRED,
    CODE_LOCKED,
    PHONE,
    SIGN_IN_FIRST,
    TOO_MANY_CODES,
    RecordingClient,
    ask_for_code,
    email_code,
    enter_code,
    errors,
    sign_in_by_email,
    sign_out,
    sms_code,
    text,
    wrong_code,
)
from tests.applications.journey import answer_all, start, submit_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

EMAIL = "Amal.Haddad@Example.ORG"
# Stored in lower case: the same address typed with other capitals is the same applicant.
STORED_EMAIL = "amal.haddad@example.org"
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def applicant() -> Applicant:
    return Applicant.objects.get()


def signed_in_as(client) -> int | None:
    return client.session.get("applicant_id")


def set_pending(client, pending: Applicant) -> None:
    """As if this browser had just asked for a code for `pending` (another browser, say)."""
    session = client.session
    session["pending_applicant_id"] = pending.pk
    session.save()


def in_minutes(minutes: float):
    return mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=minutes)
    )


# --- Asking for a code and entering it -------------------------------------------------------


def test_code_by_email_signs_the_applicant_in(client):
    response = ask_for_code(client, f"  {EMAIL} ")

    assert response.status_code == 302
    assert response["Location"] == "/apply/sign-in/code/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [STORED_EMAIL]
    assert "The code works once, for 15 minutes." in mail.outbox[0].body
    assert sms.outbox == []
    assert applicant().contact == STORED_EMAIL
    assert applicant().contact_kind == ContactKind.EMAIL
    page = client.get("/apply/sign-in/code/")
    assert "We sent an email with a 6-digit code" in text(page)

    response = enter_code(client, email_code())

    assert response.status_code == 302
    assert response["Location"] == "/apply/applications/"
    assert signed_in_as(client) == applicant().pk
    assert client.get("/apply/applications/").status_code == 200
    assert AuditEvent.objects.filter(
        action=events.APPLICANT_SIGNED_IN.code, object_id=str(applicant().pk)
    ).exists()


def test_code_by_text_message_to_a_number_typed_in_arabic_indic_digits(client):
    response = ask_for_code(client, ARABIC_PHONE)

    assert response.status_code == 302
    assert [message.to for message in sms.outbox] == [PHONE]
    assert mail.outbox == []
    assert applicant().contact == PHONE
    assert applicant().contact_kind == ContactKind.SMS
    assert "We sent a text message with a 6-digit code to your phone." in text(
        client.get("/apply/sign-in/code/")
    )

    response = enter_code(client, sms_code())

    assert response["Location"] == "/apply/applications/"
    assert signed_in_as(client) == applicant().pk


def test_the_same_number_typed_another_way_is_the_same_applicant(client):
    ask_for_code(client, ARABIC_PHONE)
    ask_for_code(client, "00964 (770) 123-4567")

    assert Applicant.objects.count() == 1
    assert [message.to for message in sms.outbox] == [PHONE, PHONE]


def test_the_same_email_typed_with_another_case_is_the_same_applicant(client):
    sign_in_by_email(client, "Amal@example.org")
    start(client)
    sign_out(client)

    sign_in_by_email(client, "amal@example.org")

    assert Applicant.objects.count() == 1
    assert "Application not sent yet" in text(client.get("/apply/applications/"))


def test_only_a_keyed_digest_of_the_code_is_stored(client):
    ask_for_code(client, EMAIL)
    code = email_code()

    stored = AccessCode.objects.get()
    assert code not in stored.digest
    assert len(stored.digest) == 64
    assert stored.used_at is None
    assert stored.expires_at - stored.created_at == timedelta(minutes=15)


def test_code_typed_with_persian_digits_and_a_space_is_accepted(client):
    ask_for_code(client, EMAIL)
    code = email_code().translate(PERSIAN_DIGITS)

    response = enter_code(client, f"{code[:3]} {code[3:]}")

    assert response["Location"] == "/apply/applications/"
    assert signed_in_as(client) == applicant().pk


def test_a_used_code_is_refused(client):
    ask_for_code(client, EMAIL)
    code = email_code()
    assert enter_code(client, code).status_code == 302

    other = RecordingClient()
    set_pending(other, applicant())
    response = enter_code(other, code)

    assert response.status_code == 200
    assert errors(response) == [CODE_EXPIRED]
    assert signed_in_as(other) is None


@pytest.mark.parametrize(("minutes", "works"), [(14, True), (16, False)])
def test_a_code_lasts_fifteen_minutes(client, minutes, works):
    ask_for_code(client, EMAIL)
    code = email_code()

    with in_minutes(minutes):
        response = enter_code(client, code)

    if works:
        assert response["Location"] == "/apply/applications/"
    else:
        assert errors(response) == [CODE_EXPIRED]
        assert signed_in_as(client) is None
        assert applicant().failed_code_attempts == 0


def test_code_lifetime_follows_the_setting(client, settings):
    settings.APPLICANT_CODE_MINUTES = 5
    ask_for_code(client, EMAIL)
    assert "The code works once, for 5 minutes." in mail.outbox[0].body

    with in_minutes(6):
        response = enter_code(client, email_code())

    assert errors(response) == [CODE_EXPIRED]


def test_a_newer_code_cancels_the_older_one(client):
    ask_for_code(client, EMAIL)
    first = email_code()
    ask_for_code(client, EMAIL)
    second = email_code()
    if first == second:  # one chance in a million
        pytest.skip("the two random codes happen to be equal")

    refused = enter_code(client, first)

    # Only the newest code works; the older one is treated as a wrong code.
    assert refused.status_code == 200
    assert errors(refused) == [wrong_code(4)]
    assert signed_in_as(client) is None
    assert AccessCode.objects.filter(cancelled_at__isnull=False).count() == 1

    assert enter_code(client, second)["Location"] == "/apply/applications/"


def test_a_code_of_the_wrong_shape_does_not_count_as_a_try(client):
    ask_for_code(client, EMAIL)

    response = enter_code(client, "12345")

    assert errors(response) == ["Enter the 6-digit code we sent you"]
    assert applicant().failed_code_attempts == 0


def test_five_wrong_codes_lock_the_contact_even_against_the_right_code(client):
    ask_for_code(client, EMAIL)
    right = email_code()
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"

    for left in (4, 3, 2, 1):
        assert errors(enter_code(client, wrong)) == [wrong_code(left)]
    assert errors(enter_code(client, wrong)) == [CODE_LOCKED]

    assert errors(enter_code(client, right)) == [CODE_LOCKED]
    assert signed_in_as(client) is None
    assert applicant().is_locked()
    locked_out = AuditEvent.objects.get(action=events.APPLICANT_LOCKED_OUT.code)
    assert locked_out.object_id == str(applicant().pk)
    assert locked_out.actor_label == "system:applicant_portal"
    assert EMAIL.lower() not in locked_out.payload_json.lower()

    # No new code while locked, either.
    response = ask_for_code(client, EMAIL)
    assert errors(response) == [CODE_LOCKED]
    assert len(mail.outbox) == 1

    # Half an hour later the applicant can ask for a new code, and it works.
    with in_minutes(31):
        assert ask_for_code(client, EMAIL).status_code == 302
        assert enter_code(client, email_code())["Location"] == "/apply/applications/"


def test_a_sixth_code_in_an_hour_is_refused(client):
    for _attempt in range(5):
        assert ask_for_code(client, EMAIL).status_code == 302
    fifth = email_code()

    response = ask_for_code(client, EMAIL)

    assert response.status_code == 200
    assert errors(response) == [TOO_MANY_CODES]
    assert len(mail.outbox) == 5
    assert AccessCode.objects.count() == 5
    # The refusal changed nothing: the last code sent still works.
    assert enter_code(client, fifth)["Location"] == "/apply/applications/"


def test_codes_can_be_asked_for_again_after_an_hour(client):
    for _attempt in range(5):
        ask_for_code(client, EMAIL)

    with in_minutes(61):
        assert ask_for_code(client, EMAIL).status_code == 302

    assert len(mail.outbox) == 6


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your email address or mobile number"),
        ("my name is Amal", BAD_CONTACT),
        ("07700 900123", BAD_CONTACT),  # no country code
        ("+12", BAD_CONTACT),
        ("amal@", BAD_EMAIL),
        ("amal@example", BAD_EMAIL),
    ],
)
def test_a_contact_we_cannot_use_is_refused_with_a_message(client, typed, message):
    response = ask_for_code(client, typed)

    assert response.status_code == 200
    assert errors(response) == [message]
    assert not Applicant.objects.exists()
    assert mail.outbox == []
    assert sms.outbox == []


def test_entering_a_code_without_asking_for_one_goes_back_to_sign_in(client):
    response = enter_code(client, "123456")

    assert response.status_code == 302
    assert response["Location"] == "/apply/sign-in/"


# --- Sessions ----------------------------------------------------------------------------------


def test_the_session_key_changes_on_sign_in(client, settings):
    ask_for_code(client, EMAIL)
    before = client.cookies[settings.SESSION_COOKIE_NAME].value

    enter_code(client, email_code())

    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert signed_in_as(client) == applicant().pk
    assert "pending_applicant_id" not in client.session


def test_signing_out_ends_the_session(client):
    sign_in_by_email(client, EMAIL)
    sign_out(client)

    assert signed_in_as(client) is None
    response = client.get("/apply/applications/")
    assert response.status_code == 302
    assert response["Location"] == "/apply/sign-in/"


def test_a_signed_out_visitor_is_sent_to_sign_in_from_a_question(client):
    sign_in_by_email(client, EMAIL)
    application = start(client)
    sign_out(client)

    response = client.get(f"/apply/application/{application.public_id}/name/", follow=True)

    assert response.redirect_chain == [("/apply/sign-in/", 302)]
    assert SIGN_IN_FIRST in text(response)
    # A post is refused the same way and saves nothing.
    response = client.post(
        f"/apply/application/{application.public_id}/name/", {"given_names": "Someone"}
    )
    assert response["Location"] == "/apply/sign-in/"
    application.refresh_from_db()
    assert application.answers == {}


# --- Nothing personal in logs or URLs ----------------------------------------------------------


def test_nothing_personal_is_logged_audited_or_put_in_a_url(
    caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    client = RecordingClient()
    codes = []

    ask_for_code(client, EMAIL)
    codes.append(email_code())
    enter_code(client, "000000" if codes[-1] != "000000" else "111111")
    enter_code(client, codes[-1])
    application = start(client)
    answer_all(client, application)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/apply/application/{application.public_id}/check/",
            {"key": submit_key(client, application)},
        )
    client.post("/apply/sign-out/")
    ask_for_code(client, ARABIC_PHONE)
    codes.append(sms_code())
    enter_code(client, codes[-1])
    ask_for_code(client, "not a contact")

    assert len(mail.outbox) == 2  # the code, and the confirmation
    logged = caplog.text + "".join(repr(record.__dict__) for record in caplog.records)
    urls = " ".join(client.seen_urls)
    logged += "".join(AuditEvent.objects.values_list("payload_json", flat=True))
    personal = [
        EMAIL,
        STORED_EMAIL,
        quote(STORED_EMAIL),
        "Amal",  # the name given in journey.ANSWERS
        "Haddad",
        PHONE,
        PHONE[1:],
    ]
    for value in personal:
        assert value.lower() not in logged.lower(), value
        assert value.lower() not in urls.lower(), value
    for code in codes:
        # Standing alone: a random id in a log line may hold any six digits.
        alone = re.compile(rf"(?<![0-9A-Za-z]){code}(?![0-9A-Za-z])")
        assert not alone.search(logged), code
        assert not alone.search(urls), code


def test_one_network_cannot_have_codes_sent_to_strangers_by_the_thousand(client, settings):
    settings.APPLICANT_CODES_PER_ADDRESS_HOUR = 3
    for number in range(3):
        assert ask_for_code(client, f"person{number}@example.org").status_code == 302

    refused = ask_for_code(client, "person3@example.org")

    assert refused.status_code == 200
    assert errors(refused) == [
        "Too many codes have been asked for from this internet connection. Wait an hour, "
        "or try from another connection."
    ]
    assert len(mail.outbox) == 3
    # Another connection is not held back.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert ask_for_code(other, "person3@example.org").status_code == 302
    # The address is never stored, only a keyed digest of it.
    stored = set(AccessCode.objects.values_list("requested_from", flat=True))
    assert "127.0.0.1" not in stored
    assert "203.0.113.9" not in stored
    assert len(stored) == 2
