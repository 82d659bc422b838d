"""Sent applications for staff-side tests: one call makes an application as if the applicant
had answered every question and sent it, with the details a test cares about."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.utils import timezone

from safepassage.applications.api import EXAMPLE
from safepassage.applications.models import Application
from safepassage.applications.questions import clean_answers
from safepassage.applications.queue import queue_key
from safepassage.applications.services.access import Contact, applicant_for_contact
from safepassage.applications.services.submission import application_submit_whole
from safepassage.core.actors import SystemActor

SYSTEM = SystemActor("tests")


def sent(
    number: int,
    *,
    language: str = "en",
    given_names: str = "",
    family_name: str | None = None,
    born: str = "1990",
    vulnerabilities: list[str] | None = None,
    children: int = 0,
    nationality: str = "SYR",
    country: str = "LBN",
    days_ago: float = 0,
) -> Application:
    raw: dict[str, Any] = copy.deepcopy(EXAMPLE["answers"])
    raw["date-of-birth"] = {"date_of_birth": born}
    raw["vulnerability"] = {"vulnerabilities": vulnerabilities or [], "details": ""}
    raw["nationality"] = {"nationality": nationality}
    raw["location"] = {"current_country": country}
    raw["name"] = {
        **raw.get("name", {}),
        "given_names": given_names or f"Person{'abcdefghijklmnopqrstuvwxyz'[number % 26]}",
    }
    if family_name is not None:
        raw["name"]["family_name"] = family_name
    if children:
        raw["family"] = {"children_applying": "yes"}
        raw["children"] = [
            {"given_names": "Rami", "family_name": "", "date_of_birth": "2016"}
        ] * children
    else:
        raw["family"] = {"children_applying": "no"}
        raw.pop("children", None)
    applicant = applicant_for_contact(
        contact=Contact("email", f"a{number}@example.org"), language=language
    )
    application, _created = application_submit_whole(
        actor=SYSTEM,
        applicant=applicant,
        answers=clean_answers(raw),
        language=language,
        submission_key=f"test-{number}",
        digest=f"test-{number}",
        channel="portal",
    )
    if days_ago:
        # As if sent that long ago: the queue key carries the time of sending.
        when = timezone.now() - timedelta(days=days_ago)
        Application.objects.filter(pk=application.pk).update(
            submitted_at=when, queue_key=queue_key(application.priority, when, application.pk)
        )
        application.refresh_from_db()
    return application
