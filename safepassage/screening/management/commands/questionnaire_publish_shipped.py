"""Publish the newest questionnaire shipped with the code (safepassage/screening/questionnaires/)
as the national version, if no version is current yet. For a new installation; afterwards
administrators draft and publish new versions in the service."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safepassage.core.actors import SystemActor
from safepassage.screening.demo import shipped_questionnaire_publish


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        version = shipped_questionnaire_publish(actor=SystemActor("questionnaire_publish_shipped"))
        if version is None:
            self.stdout.write("A questionnaire version is already current; nothing changed.")
        else:
            self.stdout.write(f"Published questionnaire version {version.number}.")
