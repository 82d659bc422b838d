"""The applicant portal in a real browser, on a phone-sized screen, in English and in Arabic.

Every page is checked by axe-core as the applicant passes through it (and, in Arabic, that it
is right to left and fits the screen). Set PORTAL_SCREENSHOTS to a folder to also save
screenshots of the main pages at 360 and 1280 px wide, for a reviewer.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.http import QueryDict
from django.utils import translation
from PIL import Image
from playwright.sync_api import Browser, FilePayload, Locator, Page, ViewportSize, expect

from safepassage.applications.models import (
    Applicant,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    ContactKind,
    PartnerConsent,
    PartnerMembership,
    PartnerOrganisation,
)
from safepassage.applications.questions import BY_SLUG
from safepassage.applications.services import drafts, submission
from safepassage.core.actors import ApplicantActor
from safepassage.core.roles import Role
from tests.conftest import is_postgres
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE: ViewportSize = {"width": 360, "height": 640}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
SCREENSHOTS = os.environ.get("PORTAL_SCREENSHOTS", "")

CONTACT = "amal@example.org"
# references.ALPHABET in groups of three: SP-7KQ-M4X-9TB.
REFERENCE = r"SP-[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}-[2-9A-HJKMNP-TV-Z]{3}"
SUBMIT = "main button.govuk-button[type=submit]"

# What the applicant types: a field's name, and a string to type or choose (a select or a
# radio's value), a list of checkbox values to tick, or True/False for a single checkbox.
Value = str | bool | Sequence[str]
Fields = Mapping[str, Value]
# One page of the journey: its slug, and what to enter there. On "children" the fields are
# one child's, added with "Add this child"; on "uploads", the kind of the document uploaded (a
# small PNG), or nothing.
Step = tuple[str, Fields]

CHILD: Fields = {
    "given_names": "Sami",
    "family_name": "Haddad",
    "date_of_birth_day": "4",
    "date_of_birth_month": "8",
    "date_of_birth_year": "2015",
}

JOURNEY: list[Step] = [
    (
        "name",
        {
            "given_names": "Amal",
            "family_name": "Haddad",
            "given_names_original": "أمل",
            "family_name_original": "حداد",
        },
    ),
    (
        "date-of-birth",
        {"date_of_birth_day": "14", "date_of_birth_month": "3", "date_of_birth_year": "1991"},
    ),
    ("nationality", {"nationality": "SYR"}),
    ("location", {"current_country": "LBN"}),
    ("family", {"children_applying": "yes"}),
    ("children", CHILD),
    (
        "protection",
        {
            "reasons": ["political_opinion", "war_or_violence"],
            "explanation": "I was detained for attending a protest.",
        },
    ),
    ("vulnerability", {"vulnerabilities": ["torture"]}),
    ("contact", {"email": CONTACT}),
    ("language", {"preferred_language": "ar"}),
    ("document", {"document_kind": "passport"}),
    (
        "document-details",
        {
            "number": "N1234567",
            "issuing_country": "SYR",
            "expires_on_day": "31",
            "expires_on_month": "12",
            "expires_on_year": "2030",
        },
    ),
    ("uploads", {"kind": "passport"}),
    ("declaration", {"intends_to_claim_asylum": True, "information_is_true": True}),
]

# The shortest journey: no children, no identity document, nothing uploaded.
SHORT_ANSWERS: dict[str, Fields] = {
    "family": {"children_applying": "no"},
    "document": {"document_kind": "none"},
    "uploads": {},
}
SHORT_JOURNEY: list[Step] = [
    (slug, SHORT_ANSWERS.get(slug, fields))
    for slug, fields in JOURNEY
    if slug not in ("children", "document-details")
]

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def arabic_digits(text: str) -> str:
    return text.translate(ARABIC_INDIC)


def with_arabic_dates(steps: list[Step]) -> list[Step]:
    """The same answers, with every date typed in Arabic-Indic digits (١٩٩١ for 1991)."""
    date_part = re.compile(r"_(day|month|year)$")
    return [
        (
            slug,
            {
                name: arabic_digits(value)
                if isinstance(value, str) and date_part.search(name)
                else value
                for name, value in fields.items()
            },
        )
        for slug, fields in steps
    ]


def png() -> bytes:
    """A small real photo, as a phone would send it."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (29, 112, 184)).save(buffer, format="PNG")
    return buffer.getvalue()


def code_from_outbox() -> str:
    match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def question_url(slug: str) -> re.Pattern[str]:
    return re.compile(rf"/application/[0-9a-f-]{{36}}/{re.escape(slug)}/$")


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    """Uploads go to a folder of the test's own (the live server shares these settings)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@dataclass
class Portal:
    """One person's browser on the portal. Buttons are found by their English names, or, in
    Arabic (whose translation is still being written), by CSS."""

    page: Page
    base: str
    arabic: bool = False

    def __post_init__(self) -> None:
        self.page.set_viewport_size(PHONE)

    # --- Every page ---------------------------------------------------------------------------

    def arrived(self) -> None:
        """The page now shown is accessible, fits a phone's screen, and is in the language."""
        html = self.page.locator("html")
        if self.arabic:
            expect(html).to_have_attribute("dir", "rtl")
            expect(html).to_have_attribute("lang", "ar")
        else:
            expect(html).to_have_attribute("dir", "ltr")
        width = self.page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{self.page.url} is {width} px wide"
        assert_accessible(self.page)

    def button(self, english: str, css: str = SUBMIT) -> Locator:
        if self.arabic:
            return self.page.locator(css)
        return self.page.get_by_role("button", name=english, exact=True)

    def screenshot(self, name: str) -> None:
        """The page at a phone's width and a desktop's, when PORTAL_SCREENSHOTS asks for it."""
        if not SCREENSHOTS:
            return
        folder = Path(SCREENSHOTS)
        folder.mkdir(parents=True, exist_ok=True)
        language = "ar" if self.arabic else "en"
        for size in (PHONE, DESKTOP):
            self.page.set_viewport_size(size)
            self.page.screenshot(
                path=folder / f"{name}-{language}-{size['width']}.png", full_page=True
            )
        self.page.set_viewport_size(PHONE)

    def fill(self, fields: Fields) -> None:
        for name, value in fields.items():
            inputs = self.page.locator(f"main [name='{name}']")
            if isinstance(value, bool):
                inputs.set_checked(value)
            elif isinstance(value, str):
                kind = inputs.first.evaluate("element => element.type")
                if kind == "select-one":
                    inputs.select_option(value)
                elif kind == "radio":
                    self.page.locator(f"main [name='{name}'][value='{value}']").check()
                else:
                    inputs.fill(value)
            else:
                for item in value:
                    self.page.locator(f"main [name='{name}'][value='{item}']").check()

    def error_summary(self) -> Locator:
        return self.page.locator(".govuk-error-summary [role=alert]")

    # --- Signing in ---------------------------------------------------------------------------

    def choose_arabic_on_start(self) -> None:
        self.page.goto(f"{self.base}/apply/")
        self.page.locator("main a[hreflang=ar]").click()
        self.arabic = True

    def sign_in(self, contact: str = CONTACT) -> None:
        """From the start page, with a code from the email; ends on the list of applications."""
        if not self.page.url.rstrip("/").endswith("/apply"):
            self.page.goto(f"{self.base}/apply/")
        self.arrived()
        if self.arabic:
            self.page.locator("main a.govuk-button--start").click()
        else:
            self.page.get_by_role("button", name="Start now").click()
        expect(self.page).to_have_url(f"{self.base}/apply/sign-in/")
        self.arrived()
        self.page.locator("#id_contact").fill(contact)
        self.button("Send me a code").click()
        expect(self.page).to_have_url(f"{self.base}/apply/sign-in/code/")
        self.arrived()
        code = code_from_outbox()
        # An Arabic keyboard types Arabic-Indic digits.
        self.page.locator("#id_code").fill(arabic_digits(code) if self.arabic else code)
        self.button("Continue").click()
        expect(self.page).to_have_url(f"{self.base}/apply/applications/")
        self.arrived()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        expect(self.page).to_have_url(f"{self.base}/apply/")

    def start_new_application(self) -> Application:
        self.button("Start a new application", "main form[action$='/new/'] button").click()
        expect(self.page).to_have_url(question_url("name"))
        return self.shown_application()

    # --- The questions ------------------------------------------------------------------------

    def answer(self, slug: str, fields: Fields) -> None:
        """Answer one question page and save it."""
        expect(self.page).to_have_url(question_url(slug))
        self.arrived()
        if slug == "children":
            self.add_child(fields)
            self.button("Save and continue", "[name=action][value=continue]").click()
        elif slug == "uploads":
            if fields:
                self.upload(str(fields["kind"]), "passport.png", "image/png", png())
                expect(self.page.get_by_test_id("documents")).to_be_visible()
                self.arrived()
            self.button("Save and continue", "[name=action][value=continue]").click()
        else:
            self.fill(fields)
            self.button("Save and continue").click()

    def answer_all(self, steps: Sequence[Step]) -> None:
        for slug, fields in steps:
            self.answer(slug, fields)
        expect(self.page).to_have_url(re.compile(r"/check/$"))
        self.arrived()

    def add_child(self, child: Fields) -> None:
        self.fill(child)
        self.button("Add this child", "[name=action][value=add]").click()
        expect(self.page.get_by_test_id("children")).to_contain_text(str(child["given_names"]))
        self.arrived()

    def upload(self, kind: str, name: str, mime_type: str, content: bytes) -> None:
        self.page.locator("#id_kind").select_option(kind)
        upload: FilePayload = {"name": name, "mimeType": mime_type, "buffer": content}
        self.page.set_input_files("#id_file", files=[upload])
        self.button("Upload this document", "[name=action][value=upload]").click()

    def send(self) -> Application:
        """Send from the check page; ends on the confirmation."""
        self.button("Send application", "main form button.govuk-button").click()
        expect(self.page).to_have_url(re.compile(r"/sent/$"))
        self.arrived()
        return self.shown_application()

    def shown_application(self) -> Application:
        """The application whose page the browser shows."""
        match = re.search(r"/application/([0-9a-f-]{36})/", self.page.url)
        assert match, self.page.url
        return Application.objects.get(public_id=match.group(1))

    def follow(self, locator: Locator) -> None:
        locator.click()
        self.arrived()


def text_right_edge(locator: Locator) -> float:
    """Where the element's text ends on the right (not its box, which may be a full line)."""
    return float(
        locator.evaluate(
            """element => {
                const range = document.createRange();
                range.selectNodeContents(element);
                return range.getBoundingClientRect().right;
            }"""
        )
    )


def received_label(language: str) -> str:
    with translation.override(language):
        return str(ApplicationStatus.RECEIVED.label)


def as_posted(fields: Fields) -> QueryDict:
    """What a browser would post for these fields."""
    data = QueryDict(mutable=True)
    for name, value in fields.items():
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, str):
            data[name] = value
        else:
            data.setlist(name, list(value))
    return data


def answered_beforehand(*, send: bool) -> Application:
    """An application every question of which is answered (and sent, if asked), made with the
    services the pages call, for a test that starts further on."""
    applicant = Applicant.objects.create(contact=CONTACT, contact_kind=ContactKind.EMAIL)
    actor = ApplicantActor(applicant.pk)
    application = drafts.application_start(actor=actor, applicant=applicant, language="en")
    for slug, fields in SHORT_JOURNEY:
        form_class = BY_SLUG[slug].form
        if form_class is None:
            continue  # the uploads page, done below
        form = form_class(as_posted(fields))
        assert form.is_valid(), (slug, form.errors)
        application = drafts.answers_save(
            actor=actor, application=application, slug=slug, answer=form.cleaned_data
        )
    application = drafts.uploads_done(actor=actor, application=application)
    if send:
        application, _sent = submission.application_submit(
            actor=actor, application=application, submission_key="sent-beforehand"
        )
    return application


# --- 1 and 2. The whole journey --------------------------------------------------------------


def test_the_whole_journey_in_english_on_a_phone(page: Page, live_server):
    portal = Portal(page, live_server.url)
    page.goto(f"{live_server.url}/apply/")
    portal.arrived()
    portal.screenshot("start")
    # The language page, reached from every page's "Change language" link.
    page.get_by_test_id("change-language").click()
    expect(page).to_have_url(re.compile(r"/apply/language/\?next="))
    portal.arrived()
    page.get_by_role("link", name="English", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/apply/")

    portal.sign_in()
    expect(page.get_by_text("You have not started an application yet.")).to_be_visible()
    application = portal.start_new_application()
    portal.screenshot("question")
    portal.answer_all(JOURNEY)
    portal.screenshot("check")

    main = page.locator("main")
    for shown in (
        "Amal",
        "Haddad",
        "أمل",
        "14 March 1991",
        "Syria",
        "Lebanon",
        "Sami Haddad (4 August 2015)",
        "My political opinions, or opinions people think I have",
        "I was detained for attending a protest.",
        "I have been tortured",
        CONTACT,
        "N1234567",
        "31 December 2030",
        "Passport",
    ):
        expect(main).to_contain_text(shown)
    document = ApplicationDocument.objects.get(application=application)
    assert document.content_type == "image/png"

    sent = portal.send()
    assert sent.pk == application.pk
    expect(page.get_by_role("heading", name="Application sent")).to_be_visible()
    expect(page.get_by_test_id("reference")).to_have_text(re.compile(rf"^{REFERENCE}$"))
    expect(page.get_by_test_id("reference")).to_have_text(str(sent.reference))
    child = Application.objects.get(lead=sent)
    expect(page.get_by_test_id("family-references")).to_contain_text(f"Sami — {child.reference}")
    assert re.fullmatch(REFERENCE, str(child.reference))

    portal.follow(page.get_by_role("link", name="See the progress of your application"))
    expect(page).to_have_url(re.compile(r"/status/$"))
    expect(page.get_by_test_id("status")).to_have_text("Received")
    expect(page.locator("main")).to_contain_text(str(child.reference))
    portal.screenshot("status")


def test_the_whole_journey_in_arabic_right_to_left_with_arabic_digits(page: Page, live_server):
    portal = Portal(page, live_server.url)
    portal.choose_arabic_on_start()
    expect(page).to_have_url(f"{live_server.url}/apply/")
    portal.arrived()
    portal.screenshot("start")
    page.get_by_test_id("change-language").click()
    portal.arrived()
    expect(page.locator("main a[hreflang=ar]")).to_have_attribute("aria-current", "true")
    page.locator("main a[hreflang=ar]").click()

    portal.sign_in()
    application = portal.start_new_application()
    assert application.language == "ar"
    portal.screenshot("question")
    portal.answer_all(with_arabic_dates(JOURNEY))
    portal.screenshot("check")

    application.refresh_from_db()
    assert application.answers["date-of-birth"]["date_of_birth"] == "1991-03-14"
    assert application.answers["document-details"]["expires_on"] == "2030-12-31"
    assert application.answers["children"]["children"][0]["date_of_birth"] == "2015-08-04"
    # What the applicant wrote in English keeps its own direction ("protest." not ".protest").
    explanation = page.get_by_text("I was detained for attending a protest.")
    assert explanation.evaluate("element => getComputedStyle(element).direction") == "ltr"

    sent = portal.send()
    expect(page.get_by_test_id("reference")).to_have_text(str(sent.reference))
    child = Application.objects.get(lead=sent)
    expect(page.get_by_test_id("family-references")).to_contain_text(str(child.reference))

    portal.follow(page.locator("main a[href$='/status/']"))
    expect(page.get_by_test_id("status")).to_have_text(received_label("ar"))
    # The reference reads left to right, but sits on the right with the heading.
    reference = page.locator("main .govuk-caption-l").get_by_text(str(sent.reference))
    heading = page.locator("main h1")
    assert text_right_edge(reference) == pytest.approx(text_right_edge(heading), abs=1)
    portal.screenshot("status")


# --- 3. Coming back to a draft ---------------------------------------------------------------


def test_a_draft_is_kept_after_signing_out_and_in_again(page: Page, live_server):
    portal = Portal(page, live_server.url)
    portal.sign_in()
    draft = portal.start_new_application()
    for slug, fields in JOURNEY[:2]:
        portal.answer(slug, fields)
    expect(page).to_have_url(question_url("nationality"))

    portal.sign_out()
    expect(page.get_by_text("You have signed out. Your answers are saved.")).to_be_visible()
    portal.arrived()
    # Signed out means signed out: the draft is not reachable without a new code.
    page.goto(f"{live_server.url}/apply/application/{draft.public_id}/nationality/")
    expect(page).to_have_url(f"{live_server.url}/apply/sign-in/")

    portal.sign_in()
    portal.follow(page.get_by_role("link", name="Application not sent yet"))
    expect(page).to_have_url(question_url("nationality"))
    expect(page.get_by_role("heading", name="What is your nationality?")).to_be_visible()

    page.get_by_role("link", name="Back").click()
    expect(page).to_have_url(question_url("date-of-birth"))
    expect(page.locator("#id_date_of_birth_day")).to_have_value("14")
    expect(page.locator("#id_date_of_birth_month")).to_have_value("3")
    expect(page.locator("#id_date_of_birth_year")).to_have_value("1991")
    page.get_by_role("link", name="Back").click()
    expect(page).to_have_url(question_url("name"))
    expect(page.locator("#id_given_names")).to_have_value("Amal")
    expect(page.locator("#id_family_name_original")).to_have_value("حداد")
    portal.arrived()


# --- 4. Sending twice -------------------------------------------------------------------------


def test_sending_twice_makes_one_application(page: Page, live_server):
    draft = answered_beforehand(send=False)
    portal = Portal(page, live_server.url)
    portal.sign_in()
    portal.follow(page.get_by_role("link", name="Application not sent yet"))
    expect(page).to_have_url(re.compile(r"/check/$"))

    # The form sent twice with its hidden key, as a double tap that got past the button's own
    # guard or a retry after a timeout does. At the same moment on PostgreSQL; one after the
    # other on SQLite, whose in-memory test database refuses a second writer outright ("table
    # is locked") where a database file makes it wait.
    finals = page.evaluate(
        """async (together) => {
            const form = document.querySelector("main form[method=post]");
            const send = () => fetch(location.href, {method: "POST", body: new FormData(form)});
            const responses = together ? await Promise.all([send(), send()])
                                       : [await send(), await send()];
            return responses.map((response) => [response.status, response.url]);
        }""",
        is_postgres(),
    )
    confirmation = f"{live_server.url}/apply/application/{draft.public_id}/sent/"
    assert finals == [[200, confirmation], [200, confirmation]]
    # ... and the button itself, tapped twice quickly, with that same key once more.
    portal.button("Send application").dblclick()
    expect(page).to_have_url(confirmation)
    portal.arrived()

    assert Application.objects.filter(lead__isnull=True).count() == 1
    sent = Application.objects.get(lead__isnull=True)
    assert sent.pk == draft.pk
    assert sent.status == ApplicationStatus.RECEIVED
    expect(page.get_by_test_id("reference")).to_have_text(str(sent.reference))
    # Sent once: one change of status, from draft to received.
    assert sent.status_changes.count() == 1


# --- 5. Withdrawing ---------------------------------------------------------------------------


def test_withdrawing_keeps_the_application_marked_withdrawn(page: Page, live_server):
    sent = answered_beforehand(send=True)
    portal = Portal(page, live_server.url)
    portal.sign_in()
    portal.follow(page.get_by_role("link", name=f"Application {sent.reference}"))
    expect(page.get_by_test_id("status")).to_have_text("Received")

    portal.follow(page.get_by_role("link", name="Withdraw your application"))
    expect(page).to_have_url(re.compile(r"/withdraw/$"))
    # Not without saying so.
    page.get_by_role("button", name="Withdraw application").click()
    expect(portal.error_summary()).to_contain_text(
        "Confirm that you want to withdraw your application"
    )
    portal.arrived()
    sent.refresh_from_db()
    assert sent.status == ApplicationStatus.RECEIVED

    page.get_by_label("Why are you withdrawing your application? (optional)").fill(
        "My family found another way to safety."
    )
    page.get_by_label("I want to withdraw my application").check()
    page.get_by_role("button", name="Withdraw application").click()
    expect(page).to_have_url(re.compile(r"/status/$"))
    expect(page.get_by_text("Your application has been withdrawn.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Withdrawn")
    expect(page.get_by_test_id("timeline")).to_contain_text("Withdrawn")
    expect(page.get_by_role("link", name="Withdraw your application")).to_have_count(0)
    portal.arrived()

    sent.refresh_from_db()
    assert sent.status == ApplicationStatus.WITHDRAWN
    assert sent.withdrawal_reason == "My family found another way to safety."
    assert Application.objects.filter(pk=sent.pk).exists()


# --- 6. Helped by a partner -------------------------------------------------------------------


def test_a_partner_applies_for_someone_who_then_takes_back_consent(
    page: Page, browser: Browser, browser_context_args: dict[str, Any], live_server, make_user
):
    caseworker = make_user(Role.PARTNER_CASEWORKER)
    organisation = PartnerOrganisation.objects.create(code="refugee-aid", name="Refugee Aid")
    PartnerMembership.objects.create(user=caseworker, organisation=organisation)
    base = live_server.url
    partner = Portal(page, base)
    sign_in(page, base, caseworker.username, PASSWORD)

    page.goto(f"{base}/partner/")
    partner.arrived()
    partner.follow(page.get_by_role("button", name="Start an application for someone"))
    expect(page.get_by_test_id("consent-script")).to_contain_text(
        "I work for Refugee Aid. With your permission"
    )
    page.get_by_label("The applicant's email address or mobile number").fill("layla@example.org")
    page.get_by_label("The applicant's language").select_option("en")
    page.get_by_label("Verbal consent, with the consent script read to the applicant").check()
    page.get_by_label("I read the consent script to the applicant and they agreed").check()
    page.get_by_role("button", name="Record consent and start").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(base)}/partner/application/.+/name/$"))

    partner.answer_all(
        [
            (slug, {"contact": {"email": "layla@example.org"}}.get(slug, fields))
            for slug, fields in SHORT_JOURNEY
        ]
    )
    sent = partner.send()
    assert sent.helped_by == organisation
    consent = PartnerConsent.objects.get(application=sent)
    assert consent.method == "verbal"
    assert consent.script_version
    status_url = f"{base}/partner/application/{sent.public_id}/status/"
    page.goto(status_url)
    partner.arrived()

    # The applicant, on their own phone.
    context = browser.new_context(**browser_context_args)
    applicant = Portal(context.new_page(), base)
    applicant.sign_in("layla@example.org")
    applicant.follow(applicant.page.get_by_role("link", name=f"Application {sent.reference}"))
    helped_by = applicant.page.get_by_test_id("helped-by")
    expect(helped_by).to_contain_text("Refugee Aid helped you with this application.")
    applicant.page.get_by_role("button", name="Stop Refugee Aid seeing my application").click()
    expect(
        applicant.page.get_by_text("Refugee Aid can no longer see your application.")
    ).to_be_visible()
    expect(helped_by).to_contain_text("They can no longer see it.")
    applicant.arrived()
    context.close()
    consent.refresh_from_db()
    assert consent.revoked_at is not None

    # The partner no longer sees it.
    page.goto(f"{base}/partner/")
    expect(page.get_by_test_id("partner-applications")).not_to_contain_text(str(sent.reference))
    expect(page.get_by_test_id("partner-applications")).to_contain_text("None yet.")
    response = page.goto(status_url)
    assert response is not None
    assert response.status == 404
    partner.arrived()


# --- 7. Bad input -----------------------------------------------------------------------------


def test_bad_files_and_dates_are_explained_and_change_nothing(
    page: Page, live_server, private_media: Path
):
    portal = Portal(page, live_server.url)
    portal.sign_in()
    application = portal.start_new_application()
    base = f"{live_server.url}/apply/application/{application.public_id}"

    page.goto(f"{base}/uploads/")
    portal.arrived()
    # A program, named like a PDF.
    portal.upload("passport", "passport.pdf", "application/pdf", b"MZ\x90\x00" + bytes(4096))
    expect(portal.error_summary()).to_contain_text("The file must be a JPG, PNG or PDF")
    expect(page.locator("#id_file-error")).to_contain_text("The file must be a JPG, PNG or PDF")
    portal.arrived()
    assert not ApplicationDocument.objects.exists()

    # One byte over 10 MB, that looks like a PDF.
    too_big = b"%PDF-1.7\n" + bytes(10 * 1024 * 1024 - 14) + b"%%EOF\n"
    assert len(too_big) == 10 * 1024 * 1024 + 1
    portal.upload("passport", "scan.pdf", "application/pdf", too_big)
    expect(portal.error_summary()).to_contain_text("The file must be smaller than 10 MB")
    portal.arrived()
    assert not ApplicationDocument.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.*"))

    page.goto(f"{base}/date-of-birth/")
    portal.fill(
        {"date_of_birth_day": "31", "date_of_birth_month": "2", "date_of_birth_year": "1990"}
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(page).to_have_url(question_url("date-of-birth"))
    expect(portal.error_summary()).to_contain_text("Enter a real date")
    summary_link = portal.error_summary().get_by_role("link")
    expect(summary_link).to_have_attribute("href", "#id_date_of_birth_day")
    expect(page.locator("#id_date_of_birth_day")).to_have_value("31")
    portal.arrived()
    application.refresh_from_db()
    assert "date-of-birth" not in application.answers
