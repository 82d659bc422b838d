"""The applicant's journey through the portal's pages: answering, checking, sending, and what
they can do after."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import translation

from safepassage.applications import notifications
from safepassage.applications.models import (
    AdditionalInformation,
    Application,
    ApplicationStatus,
    Channel,
    Relationship,
    StatusChange,
)
from safepassage.applications.references import is_valid_reference
from tests.applications.helpers import (
    ARABIC_PHONE,
    PHONE,
    add_child,
    answer_pages,
    base_url,
    check_key,
    errors,
    page_urls,
    send,
    sign_in_by_email,
    sign_out,
    text,
)
from tests.applications.journey import ANSWERS, answer_all, sign_in, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

SENT_ALREADY = "This application has been sent. Here is its progress."
MISSING_ANSWERS = "Some answers are missing or need checking."
CHILD_TOO_OLD = "The child must be under 18. Adults must make their own application"
REAL_DATE = "Enter a real date, for example 14 3 1990, or 3 1990, or 1990"


@pytest.fixture
def draft(client):
    """A signed-in applicant's new, empty application."""
    sign_in(client)
    return start(client)


@pytest.fixture
def sent(client, draft, django_capture_on_commit_callbacks):
    """A signed-in applicant's application, answered and sent."""
    answer_all(client, draft)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(client, base_url(draft)).status_code == 302
    draft.refresh_from_db()
    return draft


def years_ago(years: int, today: date) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def date_parts(when: date) -> tuple[str, str, str]:
    return str(when.day), str(when.month), str(when.year)


# --- The whole journey -----------------------------------------------------------------------


def test_the_whole_journey_sends_an_application(client, draft, django_capture_on_commit_callbacks):
    base = base_url(draft)
    answer_all(client, draft)
    check = client.get(f"{base}/check/")
    assert check.status_code == 200
    assert "Amal" in text(check)
    assert "Syria" in text(check)
    assert "I was detained for attending a protest." in text(check)

    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, base)

    assert response.status_code == 302
    assert response["Location"] == f"{base}/sent/"
    application = Application.objects.get()
    assert application.status == ApplicationStatus.RECEIVED
    assert application.channel == Channel.PORTAL
    assert is_valid_reference(application.reference or "")
    assert application.submitted_at is not None
    assert application.answers["name"]["given_names"] == "Amal"
    assert application.answers["name"]["given_names_original"] == "أمل"
    assert application.answers["date-of-birth"]["date_of_birth"] == "1991-03"
    assert application.answers["contact"] == {"email": "amal@example.org", "phone": ""}
    assert application.nationality == "SYR"
    assert application.current_country == "LBN"
    assert application.date_of_birth == "1991-03"
    assert application.is_child is False
    assert application.declared_vulnerability is True
    change = StatusChange.objects.get(application=application)
    assert (change.from_status, change.to_status) == ("draft", "received")
    assert change.actor_label == f"applicant:{application.applicant_id}"

    page = client.get(response["Location"])
    assert application.reference in text(page)
    assert "We have sent you an email confirming this." in text(page)
    status = client.get(f"{base}/status/")
    assert "Received" in text(status)
    assert "We have your application." in text(status)


def test_a_stateless_applicant_who_declares_nothing(client, draft):
    answer_all(
        client,
        draft,
        nationality={"nationality": "stateless"},
        vulnerability={"vulnerabilities": [], "details": ""},
    )
    send(client, base_url(draft))

    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.RECEIVED
    assert draft.nationality == ""
    assert draft.declared_vulnerability is False


def test_details_alone_count_as_a_declared_vulnerability(client, draft):
    answer_all(
        client,
        draft,
        vulnerability={"vulnerabilities": [], "details": "I need a wheelchair at the airport."},
    )
    send(client, base_url(draft))

    draft.refresh_from_db()
    assert draft.declared_vulnerability is True


def test_an_applicant_under_18_is_marked_as_a_child(client, draft):
    born = date_parts(years_ago(16, date.today()))
    answer_all(
        client,
        draft,
        **{
            "date-of-birth": {
                "date_of_birth_day": born[0],
                "date_of_birth_month": born[1],
                "date_of_birth_year": born[2],
            }
        },
    )
    send(client, base_url(draft))

    draft.refresh_from_db()
    assert draft.is_child is True


# --- Coming back later -----------------------------------------------------------------------


def test_resume_after_signing_in_again_goes_to_the_first_unanswered_page(client, draft):
    base = base_url(draft)
    client.post(f"{base}/name/", ANSWERS["name"])
    client.post(f"{base}/date-of-birth/", ANSWERS["date-of-birth"])
    sign_out(client)

    sign_in(client)  # a new code, sent to the same address

    listing = client.get("/apply/applications/")
    assert "Application not sent yet" in text(listing)
    assert f"{base}/nationality/" in page_urls(listing)
    response = client.get(f"{base}/")
    assert response["Location"] == f"{base}/nationality/"
    assert Application.objects.count() == 1


def test_a_question_page_shows_the_saved_answer(client, draft):
    base = base_url(draft)
    client.post(f"{base}/name/", ANSWERS["name"])

    page = client.get(f"{base}/name/")

    assert 'value="Amal"' in page.content.decode()
    assert 'value="Haddad"' in page.content.decode()


def test_saving_a_page_goes_to_the_next_one(client, draft):
    base = base_url(draft)

    response = client.post(f"{base}/name/", ANSWERS["name"])

    assert response["Location"] == f"{base}/date-of-birth/"


# --- What each page refuses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "1990", REAL_DATE),
        ("12", "", "1990", "Enter the year, and the month if you give a day"),
        ("", "", "", "Enter at least the year"),
        ("1", "1", "1850", "Enter a year after 1900"),
        ("", "", "90", REAL_DATE),
    ],
)
def test_a_date_of_birth_that_is_not_a_real_date_is_refused(
    client, draft, day, month, year, message
):
    response = client.post(
        f"{base_url(draft)}/date-of-birth/",
        {"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year},
    )

    assert response.status_code == 200
    assert errors(response) == [message]
    draft.refresh_from_db()
    assert "date-of-birth" not in draft.answers


def test_a_date_of_birth_in_the_future_is_refused(client, draft):
    tomorrow = date.today() + timedelta(days=1)

    response = client.post(
        f"{base_url(draft)}/date-of-birth/",
        {
            "date_of_birth_day": str(tomorrow.day),
            "date_of_birth_month": str(tomorrow.month),
            "date_of_birth_year": str(tomorrow.year),
        },
    )

    assert errors(response) == ["The date must be in the past"]
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_date_of_birth_typed_in_arabic_digits_is_accepted(client, draft):
    client.post(
        f"{base_url(draft)}/date-of-birth/",
        {"date_of_birth_day": "٢٧", "date_of_birth_month": "٣", "date_of_birth_year": "١٩٩٠"},
    )

    draft.refresh_from_db()
    assert draft.answers["date-of-birth"]["date_of_birth"] == "1990-03-27"


def test_a_name_in_arabic_script_in_the_latin_field_is_refused(client, draft):
    response = client.post(
        f"{base_url(draft)}/name/",
        {"given_names": "أمل", "family_name": "Haddad", "given_names_original": "أمل"},
    )

    assert response.status_code == 200
    assert errors(response) == [
        "Write your name here in Latin letters (A to Z). You can write it in your own script below"
    ]
    draft.refresh_from_db()
    assert draft.answers == {}


def test_the_uk_is_not_offered_as_the_current_country_and_is_refused(client, draft):
    base = base_url(draft)
    page = client.get(f"{base}/location/").content.decode()
    assert 'value="LBN"' in page
    assert 'value="GBR"' not in page

    response = client.post(f"{base}/location/", {"current_country": "GBR"})

    assert response.status_code == 200
    assert errors(response) == [
        "Select the country you are in now. You must be outside the UK to apply"
    ]
    draft.refresh_from_db()
    assert "location" not in draft.answers


def test_contact_details_need_an_email_or_a_phone(client, draft):
    response = client.post(f"{base_url(draft)}/contact/", {"email": "", "phone": ""})

    assert errors(response) == ["Enter an email address or a mobile number, so we can contact you"]
    draft.refresh_from_db()
    assert "contact" not in draft.answers


def test_a_phone_in_contact_details_is_stored_in_international_form(client, draft):
    client.post(f"{base_url(draft)}/contact/", {"email": "", "phone": ARABIC_PHONE})

    draft.refresh_from_db()
    assert draft.answers["contact"] == {"email": "", "phone": PHONE}


def test_an_unknown_question_is_not_found(client, draft):
    assert client.get(f"{base_url(draft)}/favourite-colour/").status_code == 404


# --- Checking and sending --------------------------------------------------------------------


def test_the_check_page_will_not_send_while_pages_are_missing(client, draft):
    base = base_url(draft)
    client.post(f"{base}/name/", ANSWERS["name"])

    page = client.get(f"{base}/check/")
    assert "Some questions are not answered yet." in text(page)
    assert f"{base}/date-of-birth/" in page_urls(page)
    assert 'name="key"' not in page.content.decode()

    # A check page from before (another tab) is sent anyway.
    response = send(client, base, key="0123456789abcdef0123456789abcdef")

    assert response.status_code == 200
    assert errors(response)[0] == MISSING_ANSWERS
    assert "Date of birth" in errors(response)
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    assert draft.reference is None
    assert mail.outbox[1:] == []


def test_sending_twice_with_the_same_key_makes_one_application(
    client, draft, django_capture_on_commit_callbacks
):
    base = base_url(draft)
    answer_all(client, draft)
    key = check_key(client, base)

    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, base, key)
        second = send(client, base, key)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"{base}/sent/"
    assert Application.objects.count() == 1
    assert StatusChange.objects.count() == 1
    confirmations = [
        message for message in mail.outbox if "Application received" in message.subject
    ]
    assert len(confirmations) == 1


def test_sending_from_two_tabs_makes_one_application(
    client, draft, django_capture_on_commit_callbacks
):
    base = base_url(draft)
    answer_all(client, draft)
    first_tab = check_key(client, base)
    second_tab = check_key(client, base)
    assert first_tab != second_tab

    with django_capture_on_commit_callbacks(execute=True):
        first = send(client, base, first_tab)
        second = send(client, base, second_tab)

    assert first["Location"] == second["Location"] == f"{base}/sent/"
    draft.refresh_from_db()
    assert draft.submission_key == first_tab
    assert Application.objects.count() == 1
    assert StatusChange.objects.count() == 1
    assert sum("Application received" in message.subject for message in mail.outbox) == 1


def test_a_key_that_is_not_a_key_is_refused(client, draft):
    answer_all(client, draft)

    response = send(client, base_url(draft), key="")

    assert errors(response) == ["The form has expired. Check your answers and send again."]
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT
    # The page comes back with a new key, so sending again works.
    fresh = re.search(r'name="key" value="([0-9a-f]+)"', response.content.decode())
    assert fresh
    assert send(client, base_url(draft), key=fresh.group(1)).status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.RECEIVED


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [True, False], ids=["double-tap", "four-tabs"])
def test_simultaneous_sends_make_one_application(same_key: bool) -> None:
    if connection.vendor == "sqlite":
        # SQLite's shared-cache memory database raises "table is locked" between threads
        # instead of queueing them; this race runs on PostgreSQL.
        pytest.skip("needs a database that queues concurrent writers (PostgreSQL)")
    client = Client()
    sign_in(client)
    draft = start(client)
    base = base_url(draft)
    answer_all(client, draft)
    keys = [check_key(client, base) for _tab in range(4)]
    if same_key:
        keys = keys[:1] * 4
    barrier = threading.Barrier(len(keys))
    locations: list[str] = []

    def tap(key: str) -> None:
        tab = Client()
        for name, morsel in client.cookies.items():
            tab.cookies[name] = morsel.value
        barrier.wait()
        try:
            locations.append(tab.post(f"{base}/check/", {"key": key})["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=tap, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert locations == [f"{base}/sent/"] * len(keys)
    assert Application.objects.count() == 1
    assert StatusChange.objects.count() == 1
    assert sum("Application received" in message.subject for message in mail.outbox) == 1


# --- Children --------------------------------------------------------------------------------


def test_a_child_gets_their_own_linked_application(
    client, draft, django_capture_on_commit_callbacks
):
    base = base_url(draft)
    assert client.post(f"{base}/family/", {"children_applying": "yes"})["Location"] == (
        f"{base}/children/"
    )
    added = add_child(client, base, "Sami", ("4", "8", "2015"))
    assert added["Location"] == f"{base}/children/"
    assert "Sami" in text(client.get(f"{base}/children/"))
    assert client.post(f"{base}/children/", {"action": "continue"})["Location"] == (
        f"{base}/protection/"
    )
    answer_all(client, draft, family={"children_applying": "yes"})

    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, base)

    assert response["Location"] == f"{base}/sent/"
    lead = Application.objects.get(relationship=Relationship.MAIN)
    child = Application.objects.get(relationship=Relationship.CHILD)
    assert child.lead == lead
    assert child.applicant == lead.applicant
    assert child.status == ApplicationStatus.RECEIVED
    assert is_valid_reference(child.reference or "")
    assert child.reference != lead.reference
    assert child.is_child is True
    assert lead.is_child is False
    assert child.answers["name"]["given_names"] == "Sami"
    assert child.date_of_birth == "2015-08-04"
    assert child.nationality == "SYR"
    assert child.current_country == "LBN"
    assert StatusChange.objects.filter(application=child, to_status="received").exists()

    sent_page = text(client.get(response["Location"]))
    assert lead.reference in sent_page
    assert child.reference in sent_page
    confirmation = next(m for m in mail.outbox if "Application received" in m.subject)
    assert child.reference in confirmation.body
    listing = client.get("/apply/applications/")
    assert "with 1 child" in text(listing)
    assert f"/apply/application/{child.public_id}/" not in " ".join(page_urls(listing))


def test_a_child_aged_18_or_over_is_refused(client, draft):
    base = base_url(draft)
    client.post(f"{base}/family/", {"children_applying": "yes"})
    eighteen_today = years_ago(18, date.today())

    for born in [("", "", "2000"), date_parts(eighteen_today)]:
        response = add_child(client, base, "Rami", born)
        assert response.status_code == 200
        assert errors(response) == [CHILD_TOO_OLD]

    draft.refresh_from_db()
    assert "children" not in draft.answers

    a_day_younger = date_parts(eighteen_today + timedelta(days=1))
    assert add_child(client, base, "Rami", a_day_younger).status_code == 302


def test_children_page_needs_a_child_to_continue(client, draft):
    base = base_url(draft)
    client.post(f"{base}/family/", {"children_applying": "yes"})

    response = client.post(f"{base}/children/", {"action": "continue"})

    assert errors(response) == ["Add each child travelling with you, or go back and answer no"]


def test_a_removed_child_gets_no_application(client, draft):
    base = base_url(draft)
    client.post(f"{base}/family/", {"children_applying": "yes"})
    add_child(client, base, "Sami", ("4", "8", "2015"))
    add_child(client, base, "Lina", ("1", "1", "2018"))
    draft.refresh_from_db()
    sami = draft.answers["children"]["children"][0]["id"]
    client.post(f"{base}/children/", {"action": f"remove:{sami}"})
    answer_all(client, draft, family={"children_applying": "yes"})

    send(client, base)

    children = Application.objects.filter(relationship=Relationship.CHILD)
    assert [child.answers["name"]["given_names"] for child in children] == ["Lina"]


def test_children_are_not_sent_if_the_answer_changed_to_no(client, draft):
    base = base_url(draft)
    client.post(f"{base}/family/", {"children_applying": "yes"})
    add_child(client, base, "Sami", ("4", "8", "2015"))
    answer_all(client, draft)  # family: no

    send(client, base)

    assert Application.objects.count() == 1
    assert Application.objects.get().status == ApplicationStatus.RECEIVED


# --- After sending ---------------------------------------------------------------------------


def test_answers_cannot_be_changed_after_sending(client, sent):
    base = base_url(sent)
    answers = sent.answers

    response = client.post(f"{base}/name/", {"given_names": "Someone", "family_name": "Else"})

    assert response.status_code == 302
    assert response["Location"] == f"{base}/status/"
    assert SENT_ALREADY in text(client.get(response["Location"]))
    for page, data in [
        ("children", {"action": "add", "given_names": "Sami", "date_of_birth_year": "2015"}),
        ("uploads", {"action": "continue"}),
        ("check", {"key": "another-key"}),
    ]:
        response = client.post(f"{base}/{page}/", data)
        assert response.status_code == 302, page
    sent.refresh_from_db()
    assert sent.answers == answers
    assert Application.objects.count() == 1
    assert StatusChange.objects.count() == 1


def test_withdrawing_keeps_the_application_marked_withdrawn(
    client, sent, django_capture_on_commit_callbacks
):
    base = base_url(sent)
    assert f"{base}/withdraw/" in page_urls(client.get(f"{base}/status/"))
    unconfirmed = client.post(f"{base}/withdraw/", {"reason": "I am safe now"})
    assert errors(unconfirmed) == ["Confirm that you want to withdraw your application"]
    sent.refresh_from_db()
    assert sent.status == ApplicationStatus.RECEIVED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}/withdraw/", {"reason": "I am safe now", "confirm": "on"})

    assert response["Location"] == f"{base}/status/"
    sent.refresh_from_db()
    assert sent.status == ApplicationStatus.WITHDRAWN
    assert sent.withdrawn_at is not None
    assert sent.withdrawal_reason == "I am safe now"
    assert sent.reference
    change = StatusChange.objects.filter(application=sent).last()
    assert change is not None
    assert (change.from_status, change.to_status) == ("received", "withdrawn")
    status = text(client.get(response["Location"]))
    assert "Your application has been withdrawn." in status
    assert "You withdrew this application on" in status
    assert f"{base}/withdraw/" not in status
    withdrawn_mail = [m for m in mail.outbox if "Application withdrawn" in m.subject]
    assert len(withdrawn_mail) == 1
    assert sent.reference in withdrawn_mail[0].body

    # Not twice.
    again = client.post(f"{base}/withdraw/", {"confirm": "on"})
    assert again["Location"] == f"{base}/status/"
    assert StatusChange.objects.filter(application=sent).count() == 2
    assert Application.objects.filter(pk=sent.pk).exists()


def test_a_draft_cannot_be_withdrawn(client, draft):
    base = base_url(draft)

    response = client.post(f"{base}/withdraw/", {"confirm": "on"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT


def test_information_can_be_added_after_sending(client, sent):
    base = base_url(sent)

    empty = client.post(f"{base}/status/", {"text": "   "})
    assert errors(empty) == ["Enter the information you want to add"]
    response = client.post(f"{base}/status/", {"text": "My  brother has\nreached Cyprus."})

    assert response["Location"] == f"{base}/status/"
    added = AdditionalInformation.objects.get(application=sent)
    assert added.text == "My brother has\nreached Cyprus."
    assert added.added_by_label == f"applicant:{sent.applicant_id}"
    status = text(client.get(f"{base}/status/"))
    assert "Thank you. We have added this to your application." in status
    assert "You added information" in status


def test_no_information_can_be_added_after_withdrawing(client, sent):
    base = base_url(sent)
    client.post(f"{base}/withdraw/", {"confirm": "on"})

    response = client.post(f"{base}/status/", {"text": "One more thing"})

    assert errors(response) == ["You cannot add information to this application."]
    assert not AdditionalInformation.objects.exists()


# --- The confirmation message ----------------------------------------------------------------


def test_confirmation_is_sent_after_commit(client, draft, django_capture_on_commit_callbacks):
    base = base_url(draft)
    answer_all(client, draft)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(client, base)
    assert not [m for m in mail.outbox if "Application received" in m.subject]
    assert len(callbacks) == 1

    callbacks[0]()

    draft.refresh_from_db()
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["amal@example.org"]
    assert confirmation.subject == f"Application received: {draft.reference}"
    assert f"Your reference number is {draft.reference}." in confirmation.body


@pytest.mark.parametrize(
    ("interface", "chosen", "expected"),
    [
        ("en", {"preferred_language": "ar", "other_language": ""}, "ar"),
        ("ar", {"preferred_language": "ar", "other_language": ""}, "ar"),
        # A language we do not write in: the one they used the portal in.
        ("ar", {"preferred_language": "other", "other_language": "Nuer"}, "ar"),
    ],
)
def test_confirmation_is_in_the_applicants_language(
    client, settings, django_capture_on_commit_callbacks, interface, chosen, expected
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = interface
    sign_in_by_email(client, "amal@example.org")
    draft = start(client)
    assert draft.language == interface
    answer_pages(client, base_url(draft), {**ANSWERS, "language": chosen})
    languages = []
    real_send = notifications.EmailMessage.send

    def recording_send(message, *args, **kwargs):
        languages.append(translation.get_language())
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(notifications.EmailMessage, "send", recording_send),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send(client, base_url(draft)).status_code == 302

    draft.refresh_from_db()
    assert draft.applicant.language == interface
    assert languages == [expected]
    confirmation = mail.outbox[-1]
    assert draft.reference in confirmation.subject
    assert draft.reference in confirmation.body
    with translation.override("ar"):
        received = translation.gettext("We have received your application for a safe-passage visa.")
    if received != "We have received your application for a safe-passage visa.":
        assert received in confirmation.body
