"""Decision letters: the PDFs in every script we ship, storing them, showing and downloading them,
sending them, and the public page that checks a letter's verification code."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation
from pypdf import PdfReader

from safepassage.applications import notifications
from safepassage.applications.letters import (
    LetterDamaged,
    LetterNotAvailable,
    letter_content,
    letter_languages,
    letters_store,
    render_letter,
)
from safepassage.applications.models import (
    Application,
    ContactKind,
    Decision,
    DecisionLetter,
    DecisionOutcome,
    DecisionState,
)
from safepassage.applications.refusal_reasons import reason_for
from safepassage.applications.services.access import Contact, applicant_for_contact
from safepassage.applications.services.verification import CHECKS_PER_NETWORK
from safepassage.applications.storage import private_storage
from safepassage.applications.tasks import send_decision_letter_task
from safepassage.applications.verification_codes import new_verification_code
from safepassage.audit.models import AuditEvent
from safepassage.core import sms
from safepassage.core.local_dates import long_date
from safepassage.core.models import User
from safepassage.core.roles import Role
from tests.applications.helpers import PHONE, errors, make_partner_caseworker, text
from tests.applications.issued import EXPLANATION, REASONS, issue, named
from tests.applications.journey import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

ARABIC_EXPLANATION = "جواز السفر الذي أرسلته صادر باسم شخص آخر."
MALFORMED = (
    "Enter the verification code exactly as it is printed on the letter: 12 letters and "
    "numbers, like K7QM-2XHD-9TPB"
)
TOO_MANY = (
    f"You have checked {CHECKS_PER_NETWORK} codes in the last 10 minutes. Wait 10 minutes, "
    "then try again."
)
# The bidi embedding marks pdftotext puts around right-to-left runs, and the Arabic letter mark:
# each is a boundary between words.
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u061c"), " ")


ARABIC_MARK_AFTER_SPACE = re.compile("\\s+([\u064b-\u065f\u0670])")


# --- Making issued decisions -----------------------------------------------------------------


@pytest.fixture
def officer(make_user: Any) -> User:
    return make_user(Role.DECISION_MAKER)


# --- Reading PDFs ----------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The text layer as poppler reads it, without bidi controls, whitespace collapsed."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(result.stdout.decode().translate(BIDI_CONTROLS).split())


def words(value: str) -> set[str]:
    """The words of ``value``, their marks and zero-width non-joiners dropped. Amiri draws heh
    with hamza above as one glyph, which poppler gives back as the letter and the mark split off
    by a space."""
    # Persian writes "می‌توانید" with a zero-width non-joiner, which the text layer may drop.
    joined = ARABIC_MARK_AFTER_SPACE.sub(r"\1", value).replace("\u200c", "")
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", joined) if unicodedata.category(c) != "Mn"
    )
    return set(re.findall(r"\w+", bare))


def has_words(pdf_words: set[str], phrase: str) -> bool:
    """Every word of ``phrase`` is in the letter. Words, not the phrase: in a right-to-left
    letter the text layer holds runs in visual order, so '24 نوفمبر 2026' comes out reordered."""
    missing = words(phrase) - pdf_words
    assert not missing, f"missing {sorted(missing)} of {phrase!r}"
    return True


def pdf_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def pdf_language(pdf: bytes) -> str:
    root: Any = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    return str(root["/Lang"])


def in_language(language: str, value: Any) -> str:
    with translation.override(language):
        return str(value)


def arabic_letters(value: str) -> int:
    return sum(1 for character in value if "ARABIC" in unicodedata.name(character, ""))


# --- The PDFs --------------------------------------------------------------------------------

SCRIPT_FONTS = {"en": "DejaVu-Sans", "ar": "Amiri", "fa": "Amiri", "ti": "Abyssinica-SIL"}


@pytest.mark.parametrize("language", ["en", "ar", "fa", "ti"])
def test_a_grant_letter_gives_the_reference_code_and_validity_in_the_letters_language(
    officer, language
):
    application = named(1, language)
    decision = issue(application, officer)

    pdf = render_letter(decision, language)

    content = pdf_text(pdf)
    found = words(content)
    assert application.reference in content
    assert decision.verification_code in content
    assert "/verify/" in content
    with translation.override(language):
        assert has_words(found, long_date(decision.valid_from))
        assert has_words(found, long_date(decision.valid_until))
        assert has_words(found, long_date(decision.issued_at))
    assert "Amal Haddad" in content
    assert pdf_language(pdf) == language
    assert SCRIPT_FONTS[language] in {name.split(",")[0] for name in pdf_fonts(pdf)}


@pytest.mark.parametrize("language", ["en", "ar", "fa", "ti"])
def test_a_refusal_letter_quotes_each_reason_with_its_rule_and_the_explanation(officer, language):
    application = named(2, language)
    decision = issue(application, officer, DecisionOutcome.REFUSE)

    content = pdf_text(render_letter(decision, language))

    found = words(content)
    assert application.reference in content
    assert decision.verification_code in content
    for code in REASONS:
        reason = reason_for(code)
        assert reason is not None
        assert has_words(found, reason.rule)
        assert has_words(found, in_language(language, reason.letter_text))
    assert has_words(found, EXPLANATION)


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_a_letter_renders_in_every_language_we_ship(officer, language):
    application = named(40, language)
    decision = issue(application, officer, DecisionOutcome.REFUSE)

    pdf = render_letter(decision, language)

    assert pdf_language(pdf) == language
    content = pdf_text(pdf)
    assert application.reference in content
    assert decision.verification_code in content
    fonts = pdf_fonts(pdf)
    if language in ("ar", "fa", "fa-af", "ps", "ckb"):
        assert "Amiri" in fonts
    if language in ("ti", "am"):
        assert {"Abyssinica-SIL", "Abyssinica-SIL-Bold"} & fonts


def test_the_arabic_letter_is_written_in_arabic_right_to_left_with_amiri(officer):
    decision = issue(named(3, "ar"), officer)

    pdf = render_letter(decision, "ar")

    content = pdf_text(pdf)
    assert pdf_language(pdf) == "ar"
    assert "Amiri" in pdf_fonts(pdf)
    # The labels, the dates and the name in the applicant's own script are in Arabic letters.
    assert arabic_letters(content) > 40
    assert words("أمل حداد تاريخ الميلاد") <= words(content)
    english = render_letter(decision, "en")
    assert "Amiri" in pdf_fonts(english)  # the name in Arabic script, even in English
    assert words("أمل حداد") <= words(pdf_text(english))


def test_the_tigrinya_letter_draws_ethiopic_with_abyssinica(officer):
    decision = issue(named(4, "ti"), officer, DecisionOutcome.REFUSE)

    pdf = render_letter(decision, "ti")

    assert pdf_language(pdf) == "ti"
    assert {"Abyssinica-SIL", "Abyssinica-SIL-Bold"} & pdf_fonts(pdf)
    assert {"ኣማል", "ሓዳድ"} <= words(pdf_text(pdf))


def test_an_explanation_in_arabic_keeps_its_own_script_in_the_english_letter(officer):
    decision = issue(
        named(5, "ar"), officer, DecisionOutcome.REFUSE, explanation=ARABIC_EXPLANATION
    )

    pdf = render_letter(decision, "en")

    assert words(ARABIC_EXPLANATION) <= words(pdf_text(pdf))
    assert "Amiri" in pdf_fonts(pdf)


def test_markup_in_a_name_or_explanation_is_text_and_fetches_nothing(officer):
    application = named(6, "en")
    application.answers["name"]["given_names"] = '<img src="http://example.org/x.png">'
    Application.objects.filter(pk=application.pk).update(answers=application.answers)
    decision = issue(
        application,
        officer,
        DecisionOutcome.REFUSE,
        explanation='<link rel="stylesheet" href="http://example.org/evil.css"> too short',
    )

    with (
        mock.patch("safepassage.core.pdf.refuse_fetch") as ours,
        mock.patch("weasyprint.urls.URLFetcher.fetch") as weasyprints,
    ):
        content = pdf_text(render_letter(decision, "en"))

    ours.assert_not_called()
    weasyprints.assert_not_called()
    assert '<img src="http://example.org/x.png">' in content


def test_a_decision_not_issued_has_no_letter(officer):
    decision = issue(named(7, "en"), officer, state=DecisionState.AWAITING_APPROVAL)

    with pytest.raises(LetterNotAvailable):
        render_letter(decision, "en")
    with pytest.raises(LetterNotAvailable):
        letters_store(decision)
    assert not DecisionLetter.objects.exists()


# --- Languages and storing -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferred", "applied_in", "expected"),
    [
        ("en", "en", ["en"]),
        ("ar", "en", ["en", "ar"]),
        ("ti", "ti", ["en", "ti"]),
        ("", "fa", ["en", "fa"]),
        ("xx", "so", ["en", "so"]),
        ("xx", "xx", ["en"]),
    ],
)
def test_letters_are_in_english_and_the_applicants_language(preferred, applied_in, expected):
    application = Application(
        language=applied_in,
        answers={"language": {"preferred_language": preferred, "other_language": ""}},
    )

    assert letter_languages(application) == expected


def test_storing_letters_keeps_one_per_language_with_its_checksum(officer, portal):
    decision = issue(named(8, "ar"), officer)

    first = letters_store(decision)
    again = letters_store(decision)

    assert [letter.language for letter in first] == ["en", "ar"]
    assert [letter.pk for letter in again] == [letter.pk for letter in first]
    assert DecisionLetter.objects.count() == 2
    files = list(portal.rglob("*.pdf"))
    assert len(files) == 2
    for letter in first:
        content = letter_content(letter)
        assert content.startswith(b"%PDF-")
        assert len(content) == letter.size
        assert pdf_language(content) == letter.language
        assert not letter.storage_name.startswith("/")


def test_a_missing_language_is_added_and_the_stored_one_kept(officer):
    application = named(9, "en")
    decision = issue(application, officer)
    [english] = letters_store(decision)
    application.answers["language"] = {"preferred_language": "ti", "other_language": ""}
    Application.objects.filter(pk=application.pk).update(answers=application.answers)
    decision.refresh_from_db()

    stored = letters_store(decision)

    assert [letter.language for letter in stored] == ["en", "ti"]
    assert stored[0].pk == english.pk
    assert stored[0].sha256 == english.sha256


def test_a_letter_changed_on_disk_is_not_served(officer):
    decision = issue(named(10, "en"), officer)
    [letter] = letters_store(decision)
    storage = private_storage()
    storage.delete(letter.storage_name)
    storage.save(letter.storage_name, io.BytesIO(b"%PDF-1.7 forged"))

    with pytest.raises(LetterDamaged):
        letter_content(letter)


# --- The applicant's status page and downloads -----------------------------------------------


def letter_url(application: Application, letter: DecisionLetter, namespace: str = "apply") -> str:
    return f"/{namespace}/application/{application.public_id}/letters/{letter.pk}/"


def test_the_status_page_shows_a_grant_its_dates_and_a_letter_in_each_language(client, officer):
    application = named(11, "ar")
    decision = issue(application, officer)
    english, arabic = letters_store(decision)
    sign_in(client, "a11@example.org")

    page = client.get(f"/apply/application/{application.public_id}/status/")

    shown = text(page)
    assert "We have granted your visa." in shown
    assert long_date(decision.valid_until) in shown
    assert letter_url(application, english) in shown
    assert letter_url(application, arabic) in shown
    assert "English" in shown
    assert "العربيّة" in shown or "العربية" in shown


def test_the_status_page_shows_a_refusal_in_plain_words(client, officer):
    application = named(12, "en")
    decision = issue(application, officer, DecisionOutcome.REFUSE)
    [letter] = letters_store(decision)
    sign_in(client, "a12@example.org")

    shown = text(client.get(f"/apply/application/{application.public_id}/status/"))

    assert "We have refused your visa application." in shown
    assert letter_url(application, letter) in shown
    assert "Valid until" not in shown


def test_a_decision_waiting_for_approval_is_not_shown_to_the_applicant(client, officer):
    application = named(13, "en")
    issue(application, officer, DecisionOutcome.REFUSE, state=DecisionState.AWAITING_APPROVAL)
    sign_in(client, "a13@example.org")

    page = client.get(f"/apply/application/{application.public_id}/status/")

    assert page.status_code == 200
    assert 'data-testid="decision"' not in page.content.decode()
    assert "refused" not in text(page)


def test_the_applicant_downloads_their_letter_as_a_private_pdf(client, officer):
    application = named(14, "ar")
    decision = issue(application, officer)
    english, arabic = letters_store(decision)
    sign_in(client, "a14@example.org")

    response = client.get(letter_url(application, arabic))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="decision-{application.reference}-ar.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response.content == letter_content(arabic)
    preview = client.get(letter_url(application, english) + "?preview=1")
    assert preview["Content-Disposition"].startswith("inline;")


def test_another_applicants_letter_is_not_found(client, officer):
    mine = named(15, "en")
    theirs = named(16, "en")
    [their_letter] = letters_store(issue(theirs, officer))
    issue(mine, officer)
    sign_in(client, "a15@example.org")

    assert client.get(letter_url(theirs, their_letter)).status_code == 404
    # Their letter's number under my application is no better.
    assert client.get(letter_url(mine, their_letter)).status_code == 404
    assert (
        client.get(
            letter_url(mine, their_letter).replace(str(their_letter.pk), "999999")
        ).status_code
        == 404
    )


def test_signed_out_the_letter_asks_for_sign_in(client, officer):
    application = named(17, "en")
    [letter] = letters_store(issue(application, officer))

    response = client.get(letter_url(application, letter))

    assert response.status_code == 302
    assert response["Location"] == "/apply/sign-in/"


def test_a_partner_with_consent_downloads_and_another_partner_does_not(
    make_user, client_for, officer, organisation, other_organisation
):
    from safepassage.applications.models import PartnerConsent

    application = named(18, "en")
    [letter] = letters_store(issue(application, officer))
    helper = make_partner_caseworker(make_user, organisation)
    PartnerConsent.objects.create(
        application=application, organisation=organisation, recorded_by=helper, method="verbal"
    )
    stranger = make_partner_caseworker(make_user, other_organisation)

    assert client_for(helper).get(letter_url(application, letter, "partner")).status_code == 200
    assert client_for(stranger).get(letter_url(application, letter, "partner")).status_code == 404


def test_staff_open_a_letter_and_the_read_is_recorded(client_for, officer):
    application = named(19, "en")
    [letter] = letters_store(issue(application, officer))

    response = client_for(officer).get(
        f"/applications/{application.public_id}/letters/{letter.pk}/?preview=1"
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    read = AuditEvent.objects.filter(action="audit.record_read").latest("pk")
    assert read.object_id == str(application.pk)
    assert read.actor_id == officer.pk
    assert "decision_letter" in read.payload_json


def test_staff_without_permission_to_see_applications_are_refused(make_user, client_for, officer):
    application = named(20, "en")
    [letter] = letters_store(issue(application, officer))
    registration_officer = make_user(Role.REGISTRATION_OFFICER)

    response = client_for(registration_officer).get(
        f"/applications/{application.public_id}/letters/{letter.pk}/"
    )

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="audit.record_read").exists()


# --- Sending the letter ----------------------------------------------------------------------


def test_an_email_applicant_gets_the_letters_attached_in_their_language(officer):
    application = named(21, "ar")
    decision = issue(application, officer)
    letters_store(decision)
    languages_used: list[str | None] = []
    real_render = notifications.render_to_string

    def render(*args: Any, **kwargs: Any) -> str:
        languages_used.append(translation.get_language())
        return real_render(*args, **kwargs)

    with mock.patch.object(notifications, "render_to_string", side_effect=render):
        send_decision_letter_task.enqueue(decision.pk)

    [message] = mail.outbox
    assert message.to == ["a21@example.org"]
    assert application.reference in message.subject
    assert set(languages_used) == {"ar"}
    names = [attachment[0] for attachment in message.attachments]
    assert names == [
        f"decision-{application.reference}-en.pdf",
        f"decision-{application.reference}-ar.pdf",
    ]
    for _name, content, mimetype in message.attachments:
        assert mimetype == "application/pdf"
        assert application.reference in pdf_text(content)
    assert not sms.outbox


def test_a_phone_applicant_gets_a_text_that_does_not_say_the_outcome(officer):
    application = named(22, "en")
    phone_applicant = applicant_for_contact(contact=Contact(ContactKind.SMS, PHONE), language="en")
    Application.objects.filter(pk=application.pk).update(applicant=phone_applicant)
    decision = issue(application, officer, DecisionOutcome.REFUSE)
    letters_store(decision)

    send_decision_letter_task.enqueue(decision.pk)

    [message] = sms.outbox
    assert message.to == PHONE
    assert application.reference in message.body
    assert "/apply/" in message.body
    for outcome_word in ("refus", "grant", "permission", "reason"):
        assert outcome_word not in message.body.lower()
    assert not mail.outbox


# --- The public verification page ------------------------------------------------------------


def check(client: Client, code: str, **extra: Any) -> Any:
    return client.post("/verify/", {"code": code}, **extra)


def test_the_page_is_public_and_asks_for_the_code_by_post(client):
    page = client.get("/verify/")

    assert page.status_code == 200
    body = page.content.decode()
    assert 'method="post"' in body
    assert 'action="/verify/"' in body
    assert "Check a decision letter" in text(page)
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_a_grants_code_is_valid_with_its_dates_and_nothing_else(client, officer):
    decision = issue(named(23, "en"), officer)

    page = check(client, decision.verification_code)

    shown = text(page)
    assert page.status_code == 200
    assert "Valid" in shown
    assert "This is a genuine decision letter" in shown
    assert long_date(decision.issued_at) in shown
    assert long_date(decision.valid_from) in shown
    assert long_date(decision.valid_until) in shown
    assert "Amal" not in shown
    assert "Haddad" not in shown
    assert decision.application.reference not in shown


def test_a_refusals_code_is_valid_with_only_its_date(client, officer):
    decision = issue(named(24, "en"), officer, DecisionOutcome.REFUSE)

    shown = text(check(client, decision.verification_code))

    assert "This is a genuine decision letter" in shown
    assert long_date(decision.issued_at) in shown
    assert "valid from" not in shown.lower()
    for secret in ("refus", "reason", "Amal", "identity", decision.application.reference):
        assert secret.lower() not in shown.lower()


def test_a_code_typed_loosely_is_still_recognised(client, officer):
    decision = issue(named(25, "en"), officer)
    code = decision.verification_code
    assert code is not None
    arabic_digits = code.lower().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))

    for typed in (
        code.lower(),
        code.replace("-", " "),
        f"  {code.replace('-', '')} ",
        arabic_digits,
    ):
        assert "This is a genuine decision letter" in text(check(client, typed)), typed


def test_an_unknown_code_is_not_valid(client, officer):
    issue(named(26, "en"), officer)
    unknown = new_verification_code()

    page = check(client, unknown)

    assert page.status_code == 200
    shown = text(page)
    assert "Not valid" in shown
    assert "We have not issued a letter with the code" in shown
    assert unknown in shown
    assert "genuine decision letter from" not in shown


def test_a_waiting_decision_code_is_not_valid(client, officer):
    decision = issue(named(27, "en"), officer, state=DecisionState.AWAITING_SECOND_LOOK)
    code = new_verification_code()
    Decision.objects.filter(pk=decision.pk).update(verification_code=code)

    assert "Not valid" in text(check(client, code))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the verification code printed on the letter"),
        ("K7QM-2XHD", MALFORMED),
        ("K7QM-2XHD-9TPBX", MALFORMED),
        ("ABCD-EFGH-JKMN", MALFORMED),  # the check character is wrong
        ("O0O0-I1I1-LLUU", MALFORMED),  # letters we never use
        ("x" * 41, MALFORMED),
    ],
)
def test_a_malformed_code_gets_a_clear_message(client, typed, message):
    page = check(client, typed)

    assert page.status_code == 200
    assert errors(page) == [message]
    assert "Not valid" not in text(page)


def test_an_expired_grant_is_a_genuine_letter_whose_permission_ended(client, officer):
    decision = issue(named(28, "en"), officer, valid_until_days=-1)

    shown = text(check(client, decision.verification_code))

    assert "This is a genuine decision letter" in shown
    assert (
        f"The letter is genuine, but the permission to travel it gives ended on "
        f"{long_date(decision.valid_until)}."
    ) in shown


def test_checks_are_limited_per_network(client, officer):
    decision = issue(named(29, "en"), officer)
    for _ in range(CHECKS_PER_NETWORK):
        assert check(client, new_verification_code()).status_code == 200

    refused = check(client, decision.verification_code)
    again = check(client, decision.verification_code)

    assert errors(refused) == [TOO_MANY]
    assert "This is a genuine decision letter" not in text(refused)
    assert errors(again) == [TOO_MANY]
    # One record of the limit being reached, however long the hammering goes on.
    assert AuditEvent.objects.filter(action="applications.letter_checks_limited").count() == 1
    # Another network is not held up.
    other = check(client, decision.verification_code, REMOTE_ADDR="10.1.2.3")
    assert "This is a genuine decision letter" in text(other)


def test_each_check_is_audited_without_the_code(client, officer):
    decision = issue(named(30, "en"), officer)
    code = decision.verification_code
    assert code is not None

    check(client, code)
    check(client, new_verification_code())
    check(client, "nonsense")

    events = list(AuditEvent.objects.filter(action="applications.letter_checked").order_by("pk"))
    assert [event.payload_json for event in events] == [
        f'{{"decision":{decision.pk},"result":"valid"}}',
        '{"result":"not_valid"}',
        '{"result":"malformed"}',
    ]
    for event in AuditEvent.objects.all():
        for form in (code, code.replace("-", "")):
            assert form not in event.payload_json
            assert form not in event.object_id


def test_the_page_speaks_arabic_right_to_left(client, officer):
    decision = issue(named(31, "en"), officer)
    client.get("/language/ar/")

    page = check(client, decision.verification_code)

    body = page.content.decode()
    assert '<html lang="ar" dir="rtl"' in body
    assert 'data-testid="change-language"' in body
    with translation.override("ar"):
        assert long_date(decision.valid_until) in text(page)
