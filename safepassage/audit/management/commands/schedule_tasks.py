"""Book the recurring background tasks (idempotent: run it as often as you like)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from safepassage.audit.tasks import schedule_nightly_verification


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        run_at = schedule_nightly_verification()
        self.stdout.write(f"Nightly audit verification booked for {run_at:%Y-%m-%d %H:%M %Z}.")
