"""Print the current two-factor code of a demo account. Refused in production."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.core.errors import DomainError
from safepassage.core.services.demo import demo_current_code, require_demo_tools


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            require_demo_tools()
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        device = TOTPDevice.objects.filter(
            user__username=options["username"], confirmed=True
        ).first()
        if device is None:
            raise CommandError(f"No authenticator is set up for {options['username']!r}.")
        code = demo_current_code(device)
        remaining = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(f"{code}  (changes in about {remaining} seconds; each code works once)")
