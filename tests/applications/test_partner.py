"""A partner caseworker starting an application for someone, with their recorded consent, and
completing it for them; and the applicant seeing who helped and taking consent back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from safepassage.applications import events
from safepassage.applications.models import (
    Applicant,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Channel,
    ConsentMethod,
    DocumentKind,
    PartnerConsent,
    StatusChange,
)
from safepassage.applications.services.partners import CONSENT_SCRIPT_VERSION
from safepassage.audit.models import AuditEvent
from safepassage.core import sms
from safepassage.core.roles import Role
from tests.applications.helpers import (
    ARABIC_PHONE,
    BAD_CONTACT,
    PHONE,
    WRONG_TYPE,
    answer_pages,
    ask_for_code,
    assisted_start,
    base_url,
    enter_code,
    errors,
    executable_as_pdf,
    newest_application,
    page_urls,
    png_upload,
    send,
    sign_in_by_email,
    sms_code,
    text,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

CONTACT = "dina@example.org"


@pytest.fixture
def caseworker(organisation, make_caseworker):
    return make_caseworker(organisation)


@pytest.fixture
def partner(caseworker, client_for):
    return client_for(caseworker)


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def nothing_started() -> bool:
    return not (
        Applicant.objects.exists()
        or Application.objects.exists()
        or PartnerConsent.objects.exists()
        or ApplicationDocument.objects.exists()
    )


# --- Recording consent -------------------------------------------------------------------------


def test_the_start_page_shows_the_consent_script_to_read(partner):
    page = text(partner.get("/partner/start/"))

    assert "I work for Refugee Legal Aid." in page
    assert f"Consent script version {CONSENT_SCRIPT_VERSION}" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"method": "verbal", "script_read": ""},
            "Confirm you read the consent script and the applicant agreed",
        ),
        ({"method": "signed_form", "script_read": ""}, "Upload the signed consent form"),
        ({"method": ""}, "Select how the applicant gave their consent"),
        ({"contact": "Dina, in the camp"}, BAD_CONTACT),
        ({"contact": ""}, "Enter the applicant's email address or mobile number"),
    ],
)
def test_an_application_is_not_started_without_consent(partner, fields, message):
    response = assisted_start(partner, **{"contact": CONTACT, **fields})

    assert response.status_code == 200
    assert errors(response) == [message]
    assert nothing_started()


def test_a_signed_form_that_is_not_a_document_is_refused(partner, portal):
    response = assisted_start(
        partner, CONTACT, method="signed_form", script_read="", signed_form=executable_as_pdf()
    )

    assert response.status_code == 200
    assert errors(response) == [WRONG_TYPE]
    assert nothing_started()
    assert stored_files(portal) == []


def test_verbal_consent_records_who_when_how_and_which_script(partner, caseworker, organisation):
    before = timezone.now()

    response = assisted_start(partner, CONTACT, language="ar")

    application = newest_application()
    assert response["Location"] == f"/partner/application/{application.public_id}/name/"
    consent = PartnerConsent.objects.get()
    assert consent.application == application
    assert consent.organisation == organisation
    assert consent.recorded_by == caseworker
    assert before <= consent.recorded_at <= timezone.now()
    assert consent.method == ConsentMethod.VERBAL
    assert consent.script_version == CONSENT_SCRIPT_VERSION
    assert consent.signed_form is None
    assert consent.stands
    assert application.channel == Channel.PARTNER
    assert application.helped_by == organisation
    assert application.started_by == caseworker
    assert application.language == "ar"
    assert application.applicant.contact == CONTACT
    recorded = AuditEvent.objects.get(action=events.CONSENT_RECORDED.code)
    assert recorded.actor_id == caseworker.pk
    assert recorded.payload == {"consent_id": consent.pk, "method": "verbal"}
    assert CONTACT not in recorded.payload_json


def test_a_signed_consent_form_is_kept_with_the_consent(partner, portal):
    response = assisted_start(
        partner, CONTACT, method="signed_form", script_read="", signed_form=png_upload()
    )

    assert response.status_code == 302
    consent = PartnerConsent.objects.get()
    assert consent.method == ConsentMethod.SIGNED_FORM
    assert consent.script_version == ""
    assert consent.signed_form is not None
    assert consent.signed_form.kind == DocumentKind.CONSENT_FORM
    assert consent.signed_form.application == consent.application
    assert len(stored_files(portal)) == 1
    # It is the partner's record, not one of the applicant's identity documents.
    uploads = partner.get(f"{base_url(consent.application, 'partner')}/uploads/")
    assert "Signed consent form" not in text(uploads)


def test_a_caseworker_of_an_inactive_organisation_cannot_start(partner, organisation):
    organisation.is_active = False
    organisation.save()

    response = assisted_start(partner, CONTACT)

    assert errors(response) == ["You are not a member of an active partner organisation."]
    assert nothing_started()


def test_staff_who_do_not_help_applicants_cannot_start(make_user, client_for):
    officer = client_for(make_user(Role.DECISION_MAKER))

    assert officer.get("/partner/start/").status_code == 403
    assert assisted_start(officer, CONTACT).status_code == 403
    assert nothing_started()


# --- Completing the application for the applicant --------------------------------------------


def test_the_partner_completes_and_sends_the_application(
    partner, caseworker, organisation, django_capture_on_commit_callbacks
):
    assisted_start(partner, ARABIC_PHONE)
    application = newest_application()
    base = base_url(application, "partner")

    answer_pages(partner, base)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(partner, base)

    assert response["Location"] == f"{base}/sent/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert application.channel == Channel.PARTNER
    assert application.helped_by == organisation
    assert application.started_by == caseworker
    assert application.nationality == "SYR"
    change = StatusChange.objects.get(application=application)
    assert change.actor_label == f"user:{caseworker.pk}"
    # The confirmation goes to the applicant, not the caseworker.
    assert [message.to for message in sms.outbox] == [PHONE]
    assert application.reference in sms.outbox[0].body
    assert mail.outbox == []
    page = partner.get(f"{base}/status/")
    assert page.status_code == 200
    assert "Refugee Legal Aid helped you with this application." in text(page)
    # The revoke button is the applicant's, on their own page.
    assert not [url for url in page_urls(page) if "/revoke/" in url]


def test_the_applicant_sees_who_helped_and_can_take_consent_back(partner):
    assisted_start(partner, ARABIC_PHONE)
    application = newest_application()
    answer_pages(partner, base_url(application, "partner"))
    send(partner, base_url(application, "partner"))
    application.refresh_from_db()

    applicant = Client()
    ask_for_code(applicant, PHONE)
    assert enter_code(applicant, sms_code())["Location"] == "/apply/applications/"
    assert Applicant.objects.count() == 1

    listing = applicant.get("/apply/applications/")
    assert application.reference in text(listing)
    status = applicant.get(f"{base_url(application)}/status/")
    assert "Refugee Legal Aid helped you with this application." in text(status)
    assert "Stop Refugee Legal Aid seeing my application" in text(status)

    consent = PartnerConsent.objects.get()
    response = applicant.post(f"{base_url(application)}/consents/{consent.pk}/revoke/")

    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert PartnerConsent.objects.count() == 1  # kept, marked revoked
    assert partner.get(f"{base_url(application, 'partner')}/status/").status_code == 404


def test_the_partner_can_give_up_access_too(partner):
    assisted_start(partner, CONTACT)
    application = newest_application()
    consent = PartnerConsent.objects.get()

    response = partner.post(f"{base_url(application, 'partner')}/consents/{consent.pk}/revoke/")

    assert response["Location"] == "/partner/"
    consent.refresh_from_db()
    assert consent.revoked_by_label.startswith("user:")
    assert partner.get(f"{base_url(application, 'partner')}/name/").status_code == 404
    # The applicant keeps their draft.
    applicant = Client()
    sign_in_by_email(applicant, CONTACT)
    assert applicant.get(f"{base_url(application)}/name/").status_code == 200


def test_consent_revoked_while_the_partner_works_stops_the_next_save(partner):
    assisted_start(partner, CONTACT)
    application = newest_application()
    PartnerConsent.objects.update(revoked_at=timezone.now() - timedelta(seconds=1))

    response = partner.post(f"{base_url(application, 'partner')}/name/", {"given_names": "Dina"})

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.answers == {}


def test_the_applicant_can_take_consent_back_while_the_partner_s_draft_is_unsent(partner):
    """The consent script promises 'at any time': before sending too, from their list."""
    assisted_start(partner, CONTACT)
    application = newest_application()
    applicant = Client()
    sign_in_by_email(applicant, CONTACT)

    listing = text(applicant.get("/apply/applications/"))
    assert "Refugee Legal Aid can see this application because you allowed it." in listing
    consent = PartnerConsent.objects.get()
    response = applicant.post(f"{base_url(application)}/consents/{consent.pk}/revoke/")

    assert response["Location"] == "/apply/applications/"
    consent.refresh_from_db()
    assert consent.revoked_by_label == f"applicant:{application.applicant_id}"
    assert partner.get(f"{base_url(application, 'partner')}/name/").status_code == 404
    assert "can see this application" not in text(applicant.get("/apply/applications/"))


def test_the_consent_script_is_offered_in_the_applicant_s_language(partner):
    page = partner.get("/partner/start/").content.decode()

    assert 'lang="ar" dir="rtl"' in page
    assert 'lang="ti" dir="ltr"' in page
    assert 'lang="ps" dir="rtl"' in page
    # Languages with no translation yet are not shown as if they had one.
    assert 'lang="so" dir="ltr"' not in page
