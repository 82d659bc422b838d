"""Walking the portal with Django's test client: sign in with a code, answer every page."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from safepassage.applications.models import Application

ANSWERS: dict[str, dict[str, Any]] = {
    "name": {
        "given_names": "Amal",
        "family_name": "Haddad",
        "given_names_original": "أمل",
        "family_name_original": "حداد",
    },
    "date-of-birth": {
        "date_of_birth_day": "",
        "date_of_birth_month": "3",
        "date_of_birth_year": "1991",
    },
    "nationality": {"nationality": "SYR"},
    "location": {"current_country": "LBN"},
    "family": {"children_applying": "no"},
    "protection": {
        "reasons": ["political_opinion"],
        "explanation": "I was detained for attending a protest.",
    },
    "vulnerability": {"vulnerabilities": ["torture"], "details": ""},
    "contact": {"email": "amal@example.org", "phone": ""},
    "language": {"preferred_language": "en", "other_language": ""},
    "document": {"document_kind": "none"},
    "declaration": {"intends_to_claim_asylum": "on", "information_is_true": "on"},
}


def code_from_outbox() -> str:
    match = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].body))
    assert match, mail.outbox[-1].body
    return match.group(1)


def sign_in(client: Client, contact: str = "amal@example.org") -> None:
    response = client.post("/apply/sign-in/", {"contact": contact})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post("/apply/sign-in/code/", {"code": code_from_outbox()})
    assert response.status_code == 302
    assert response["Location"] == "/apply/applications/"


def start(client: Client) -> Application:
    response = client.post("/apply/applications/new/")
    assert response.status_code == 302
    return Application.objects.order_by("-pk").first()  # type: ignore[return-value]


def answer_all(client: Client, application: Application, **overrides: dict[str, Any]) -> None:
    answers = {**ANSWERS, **overrides}
    base = f"/apply/application/{application.public_id}"
    for slug, data in answers.items():
        response = client.post(f"{base}/{slug}/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:3000])
    response = client.post(f"{base}/uploads/", {"action": "continue"})
    assert response.status_code == 302


def submit_key(client: Client, application: Application) -> str:
    page = client.get(f"/apply/application/{application.public_id}/check/").content.decode()
    match = re.search(r'name="key" value="([0-9a-f]+)"', page)
    assert match, page[:3000]
    return match.group(1)
