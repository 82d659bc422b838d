"""Who can see and act on an application: its applicant, a partner while the applicant's
consent stands, staff who may see applications. Anyone else finds nothing there."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from safepassage.applications import events
from safepassage.applications.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    PartnerConsent,
)
from safepassage.audit.models import AuditEvent
from safepassage.core.roles import Role
from tests.applications.helpers import (
    RecordingClient,
    add_child,
    answer_pages,
    assisted_start,
    base_url,
    newest_application,
    page_urls,
    png_upload,
    send,
    sign_in_by_email,
    sign_in_staff,
    streamed,
    text,
    upload,
)
from tests.applications.journey import ANSWERS, start

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("portal")]

AMAL = "amal@example.org"
BASEL = "basel@example.org"
CARLA = "carla@example.org"


def sent_with_document(client: Client, email: str) -> tuple[Application, ApplicationDocument]:
    sign_in_by_email(client, email)
    application = start(client)
    base = base_url(application)
    assert upload(client, base, png_upload()).status_code == 302
    answer_pages(client, base)
    assert send(client, base).status_code == 302
    application.refresh_from_db()
    return application, ApplicationDocument.objects.get(application=application)


def partner_started(partner: Client, contact: str) -> Application:
    response = assisted_start(partner, contact)
    assert response.status_code == 302
    return newest_application()


@pytest.fixture
def amal():
    client = Client()
    application, document = sent_with_document(client, AMAL)
    return client, application, document


@pytest.fixture
def basel():
    client = Client()
    sign_in_by_email(client, BASEL)
    return client


@pytest.fixture
def partner(organisation, make_caseworker, client_for):
    return client_for(make_caseworker(organisation))


# --- Applicants --------------------------------------------------------------------------------


def test_an_applicant_cannot_reach_anothers_application(amal, basel):
    _client, application, document = amal
    base = base_url(application)
    answers = application.answers
    basel_draft = start(basel)

    for path in [
        "/",
        "/status/",
        "/sent/",
        "/check/",
        "/name/",
        "/children/",
        "/uploads/",
        "/withdraw/",
        f"/documents/{document.pk}/",
    ]:
        assert basel.get(base + path).status_code == 404, path
    posts = {
        "/name/": {"given_names": "Mallory"},
        "/status/": {"text": "Please cancel this"},
        "/withdraw/": {"confirm": "on"},
        "/check/": {"key": "b" * 32},
        "/uploads/": {"action": f"remove:{document.pk}"},
    }
    for path, data in posts.items():
        assert basel.post(base + path, data).status_code == 404, path
    # Another application's document, under Basel's own application.
    assert basel.get(f"{base_url(basel_draft)}/documents/{document.pk}/").status_code == 404

    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED
    assert application.answers == answers
    assert not application.additional_information.exists()
    document.refresh_from_db()
    assert document.removed_at is None
    listing = basel.get("/apply/applications/")
    assert str(application.public_id) not in listing.content.decode()


def test_a_draft_of_another_applicant_is_not_found_either(basel):
    other = Client()
    sign_in_by_email(other, AMAL)
    draft = start(other)

    assert basel.get(f"{base_url(draft)}/name/").status_code == 404
    assert basel.post(f"{base_url(draft)}/name/", ANSWERS["name"]).status_code == 404
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_made_up_application_is_not_found(basel):
    assert basel.get("/apply/application/00000000-0000-4000-8000-000000000000/").status_code == 404


# --- Documents ---------------------------------------------------------------------------------


def test_the_applicant_can_open_their_own_document_privately(amal):
    client, application, document = amal

    response = client.get(f"{base_url(application)}/documents/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == f'inline; filename="document-{document.pk}.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert streamed(response).startswith(b"\x89PNG")

    download = client.get(f"{base_url(application)}/documents/{document.pk}/?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    streamed(download)


def test_staff_who_see_applications_can_open_a_document_and_it_is_audited(
    amal, make_user, client_for
):
    _client, application, document = amal
    decision_maker = make_user(Role.DECISION_MAKER)
    url = f"/applications/{application.public_id}/documents/{document.pk}/"

    response = client_for(decision_maker).get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert streamed(response).startswith(b"\x89PNG")
    opened = AuditEvent.objects.get(action=events.DOCUMENT_DOWNLOADED.code)
    assert opened.actor_id == decision_maker.pk
    assert opened.object_id == str(application.pk)
    assert opened.payload == {"document_id": document.pk}


def test_staff_without_the_permission_cannot_open_a_document(amal, make_user, client_for):
    _client, application, document = amal
    url = f"/applications/{application.public_id}/documents/{document.pk}/"

    for role in (Role.REGISTRATION_OFFICER, Role.PARTNER_CASEWORKER):
        assert client_for(make_user(role)).get(url).status_code == 403, role
    assert Client().get(url).status_code == 302  # to the staff sign-in
    assert not AuditEvent.objects.filter(action=events.DOCUMENT_DOWNLOADED.code).exists()


def test_staff_do_not_see_a_draft_document(make_user, client_for):
    client = Client()
    sign_in_by_email(client, AMAL)
    draft = start(client)
    upload(client, base_url(draft), png_upload())
    document = ApplicationDocument.objects.get()
    url = f"/applications/{draft.public_id}/documents/{document.pk}/"

    assert client_for(make_user(Role.DECISION_MAKER)).get(url).status_code == 404


def test_a_staff_url_is_not_a_way_in_for_an_applicant(amal):
    client, application, document = amal

    response = client.get(f"/applications/{application.public_id}/documents/{document.pk}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


# --- Partners ----------------------------------------------------------------------------------


def test_a_partner_without_consent_sees_nothing(amal, partner):
    _client, application, document = amal
    base = base_url(application, "partner")

    for path in ["/", "/status/", "/name/", "/check/", "/withdraw/", f"/documents/{document.pk}/"]:
        assert partner.get(base + path).status_code == 404, path
    assert partner.post(f"{base}/withdraw/", {"confirm": "on"}).status_code == 404
    assert str(application.public_id) not in partner.get("/partner/").content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_a_partner_with_consent_sees_the_application_until_the_applicant_revokes_it(
    partner, organisation, django_capture_on_commit_callbacks
):
    application = partner_started(partner, CARLA)
    base = base_url(application, "partner")
    assert partner.get(f"{base}/name/").status_code == 200
    answer_pages(partner, base)
    with django_capture_on_commit_callbacks(execute=True):
        assert send(partner, base).status_code == 302
    assert partner.get(f"{base}/status/").status_code == 200
    assert str(application.public_id) in partner.get("/partner/").content.decode()

    carla = Client()
    sign_in_by_email(carla, CARLA)
    own = base_url(application)
    status = carla.get(f"{own}/status/")
    consent = PartnerConsent.objects.get(application=application)
    revoke_url = f"{own}/consents/{consent.pk}/revoke/"
    assert revoke_url in page_urls(status)

    response = carla.post(revoke_url)

    assert response["Location"] == f"{own}/status/"
    assert "Refugee Legal Aid can no longer see your application." in text(
        carla.get(response["Location"])
    )
    consent.refresh_from_db()
    assert consent.revoked_at is not None
    assert consent.revoked_by_label == f"applicant:{application.applicant_id}"
    assert AuditEvent.objects.filter(action=events.CONSENT_REVOKED.code).count() == 1
    for path in ["/", "/status/", "/withdraw/"]:
        assert partner.get(base + path).status_code == 404, path
    assert partner.post(f"{base}/status/", {"text": "More"}).status_code == 404
    assert str(application.public_id) not in partner.get("/partner/").content.decode()
    # The application is still the applicant's, and theirs alone now.
    assert carla.get(f"{own}/status/").status_code == 200
    assert "They can no longer see it." in text(carla.get(f"{own}/status/"))
    # Revoked once is revoked: the form is gone and a replay finds nothing.
    assert revoke_url not in page_urls(carla.get(f"{own}/status/"))
    assert carla.post(revoke_url).status_code == 404


def test_a_partner_from_another_organisation_never_sees_it(
    partner, other_organisation, make_caseworker, client_for
):
    application = partner_started(partner, CARLA)
    answer_pages(partner, base_url(application, "partner"))
    send(partner, base_url(application, "partner"))
    stranger = client_for(make_caseworker(other_organisation))
    base = base_url(application, "partner")

    for path in ["/", "/status/", "/name/", "/check/", "/withdraw/"]:
        assert stranger.get(base + path).status_code == 404, path
    consent = PartnerConsent.objects.get()
    assert stranger.post(f"{base}/consents/{consent.pk}/revoke/").status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_at is None
    assert str(application.public_id) not in stranger.get("/partner/").content.decode()


def test_partner_pages_need_a_caseworker_signed_in_with_two_factors(
    partner, organisation, make_user
):
    application = partner_started(partner, CARLA)
    url = f"{base_url(application, 'partner')}/name/"

    assert Client().get(url)["Location"].startswith("/sign-in/")
    half_signed_in = Client()
    half_signed_in.force_login(make_user(Role.PARTNER_CASEWORKER))
    assert half_signed_in.get(url)["Location"] == "/sign-in/two-factor/"
    # The applicant, signed in to the portal, is not a partner either.
    carla = Client()
    sign_in_by_email(carla, CARLA)
    assert carla.get(url)["Location"].startswith("/sign-in/")


# --- Nothing personal in a URL -----------------------------------------------------------------


def test_no_url_of_the_journey_holds_anything_personal(
    organisation, make_caseworker, django_capture_on_commit_callbacks
):
    client = RecordingClient()
    sign_in_by_email(client, AMAL)
    application = start(client)
    base = base_url(application)
    for path in ["/", "/name/", "/check/"]:
        client.get(base + path)
    client.post(f"{base}/family/", {"children_applying": "yes"})
    add_child(client, base, "Sami", ("4", "8", "2015"))
    client.get(f"{base}/children/")
    upload(client, base, png_upload("Amal Haddad passport.png"))
    client.get(f"{base}/uploads/")
    answer_pages(client, base, {**ANSWERS, "family": {"children_applying": "yes"}})
    client.get(f"{base}/check/")
    with django_capture_on_commit_callbacks(execute=True):
        sent = send(client, base)
    client.get(sent["Location"])
    client.get(f"{base}/status/")
    client.post(f"{base}/status/", {"text": "My sister Mariam is with me."})
    client.get(f"{base}/withdraw/")
    client.get("/apply/applications/")
    document = ApplicationDocument.objects.get()
    streamed(client.get(f"{base}/documents/{document.pk}/"))

    partner = RecordingClient()
    sign_in_staff(partner, make_caseworker(organisation))
    assisted = partner_started(partner, "+9647701234567")
    partner_base = base_url(assisted, "partner")
    answer_pages(partner, partner_base)
    send(partner, partner_base)
    partner.get("/partner/")
    partner.get(f"{partner_base}/status/")

    references = [
        reference
        for reference in Application.objects.values_list("reference", flat=True)
        if reference
    ]
    assert len(references) == 3
    personal = [
        AMAL,
        quote(AMAL),
        "Amal",
        "Haddad",
        quote("أمل"),
        "أمل",
        "Sami",
        "Mariam",
        "9647701234567",
        *references,
        *(reference.replace("-", "") for reference in references),
    ]
    urls = " ".join([*client.seen_urls, *partner.seen_urls]).lower()
    assert f"{base}/status/" in urls  # the recording works
    for value in personal:
        assert value.lower() not in urls, value
