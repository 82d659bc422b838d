"""Demo applications for a new installation: made-up applicants, some helped by a partner.

Loaded through the same services as real submissions, so the demo shows what the service does.
Idempotent: an organisation, membership or application that exists is left alone.
"""

from __future__ import annotations

from typing import Any

from safepassage.applications.models import Application, PartnerOrganisation
from safepassage.applications.questions import clean_answers
from safepassage.applications.services.access import Contact, applicant_for_contact
from safepassage.applications.services.partners import (
    assisted_application_submit,
    partner_member_add,
    partner_organisation_save,
)
from safepassage.applications.services.submission import application_submit_whole
from safepassage.core.actors import Actor
from safepassage.core.models import User

DEMO_ORGANISATION = {"code": "refugee-legal-support", "name": "Refugee Legal Support (demo)"}
DEMO_PARTNER_USERNAME = "partner"


def _answers(
    given: str,
    family: str,
    born: str,
    nationality: str,
    country: str,
    *,
    vulnerabilities: list[str] | None = None,
    children: list[dict[str, str]] | None = None,
    email: str = "",
    phone: str = "",
    language: str = "ar",
) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "name": {"given_names": given, "family_name": family},
        "date-of-birth": {"date_of_birth": born, "estimated": False},
        "nationality": {"nationality": nationality},
        "location": {"current_country": country},
        "family": {"children_applying": "yes" if children else "no"},
        "protection": {
            "reasons": ["political_opinion", "war_or_violence"],
            "explanation": "Made-up demo text: armed groups threatened the applicant.",
        },
        "vulnerability": {"vulnerabilities": vulnerabilities or [], "details": ""},
        "contact": {"email": email, "phone": phone},
        "language": {"preferred_language": language, "other_language": ""},
        "document": {"document_kind": "none"},
        "declaration": {"intends_to_claim_asylum": True, "information_is_true": True},
    }
    if children:
        answers["children"] = children
    return answers


# (contact, language, answers); every name and contact is invented.
PORTAL_APPLICATIONS = [
    (
        "amal.haddad@demo.safepassage.invalid",
        "ar",
        _answers(
            "Amal",
            "Haddad",
            "1991-03",
            "SYR",
            "LBN",
            vulnerabilities=["torture"],
            email="amal.haddad@demo.safepassage.invalid",
            children=[{"given_names": "Rami", "family_name": "Haddad", "date_of_birth": "2016"}],
        ),
    ),
    (
        "+93700000101",
        "ps",
        _answers(
            "Zarmina",
            "Ahmadzai",
            "1998-07-12",
            "AFG",
            "PAK",
            vulnerabilities=["single_parent"],
            phone="+93700000101",
            language="ps",
        ),
    ),
    (
        "+291700000102",
        "ti",
        _answers(
            "Tesfay", "Gebremedhin", "2009", "ERI", "ETH", phone="+291700000102", language="ti"
        ),
    ),
    (
        "dawit.bekele@demo.safepassage.invalid",
        "en",
        _answers(
            "Dawit",
            "Bekele",
            "1985-11-02",
            "ERI",
            "SDN",
            email="dawit.bekele@demo.safepassage.invalid",
            language="en",
        ),
    ),
]

PARTNER_APPLICATIONS = [
    (
        "+249900000201",
        "ar",
        _answers(
            "Mohamed",
            "Osman",
            "1979-01-01",
            "SDN",
            "TCD",
            vulnerabilities=["physical_illness"],
            phone="+249900000201",
        ),
    ),
]


def demo_applications_load(*, actor: Actor) -> int:
    """The demo partner organisation, its caseworker, and a handful of applications."""
    created = 0
    organisation = PartnerOrganisation.objects.filter(code=DEMO_ORGANISATION["code"]).first()
    if organisation is None:
        organisation = partner_organisation_save(
            actor=actor, code=DEMO_ORGANISATION["code"], name=DEMO_ORGANISATION["name"]
        )
        created += 1
    partner = User.objects.filter(username=DEMO_PARTNER_USERNAME).first()
    if partner is not None and not hasattr(partner, "partner_membership"):
        partner_member_add(actor=actor, user=partner, organisation=organisation)
        created += 1
    for number, (contact, language, raw) in enumerate(PORTAL_APPLICATIONS, start=1):
        key = f"demo:portal:{number}"
        if Application.objects.filter(submission_key=key).exists():
            continue
        kind = "email" if "@" in contact else "sms"
        applicant = applicant_for_contact(contact=Contact(kind, contact), language=language)
        application_submit_whole(
            actor=actor,
            applicant=applicant,
            answers=clean_answers(raw),
            language=language,
            submission_key=key,
            digest=key,
            channel="portal",
        )
        created += 1
    if partner is not None:
        for number, (contact, language, raw) in enumerate(PARTNER_APPLICATIONS, start=1):
            if Application.objects.filter(
                submission_key=f"api:{partner.pk}:demo-{number:08d}"
            ).exists():
                continue
            assisted_application_submit(
                actor=partner,
                contact_text=contact,
                language=language,
                script_read=True,
                raw_answers=raw,
                idempotency_key=f"demo-{number:08d}",
                digest=f"demo-{number}",
            )
            created += 1
    return created
