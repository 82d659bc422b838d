"""Send the reminders of biometrics appointments that are due (each appointment is reminded
once, however often this runs). For cron, beside the task worker's own runs."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepassage.applications.services.biometrics import appointment_reminders_send


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        result = appointment_reminders_send()
        self.stdout.write(f"Reminders sent: {result['sent']}. Failed: {result['failed']}.")
        if result["failed"]:
            raise CommandError(f"{result['failed']} reminders could not be sent; see the log.")
