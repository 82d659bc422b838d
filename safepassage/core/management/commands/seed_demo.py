"""Load the demo locations and one account per role, and print how to sign in as each.

Idempotent: what exists already is left exactly as it is. Refused in production.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.applications.demo import demo_applications_load
from safepassage.applications.demo_scheme import demo_scheme_load
from safepassage.cases.demo import demo_cases_load
from safepassage.core.actors import SystemActor
from safepassage.core.demo_data import DEMO_LOCATIONS, DEMO_USERS
from safepassage.core.errors import DomainError
from safepassage.core.models import Location, User
from safepassage.core.roles import role_label
from safepassage.core.services.demo import (
    DEMO_PASSWORD,
    demo_credentials_install,
    require_demo_tools,
)
from safepassage.core.services.locations import location_create
from safepassage.core.services.users import user_create
from safepassage.people.demo import demo_people_register
from safepassage.screening.demo import demo_screening_load


class Command(BaseCommand):
    help = __doc__

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        try:
            require_demo_tools()
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        actor = SystemActor("seed_demo")
        created = 0
        for spec in DEMO_LOCATIONS:
            if not Location.objects.filter(code=spec["code"]).exists():
                location_create(actor=actor, **spec)
                created += 1
        rows = []
        for role, username, full_name, location_codes in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = user_create(
                    actor=actor,
                    username=username,
                    full_name=full_name,
                    email=f"{username}@demo.safepassage.invalid",
                    roles=[role],
                    locations=Location.objects.filter(code__in=location_codes),
                    send_invitation=False,
                )
                demo_credentials_install(actor=actor, user=user)
                created += 1
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            secret = device.config_url.split("secret=")[1].split("&")[0] if device else "-"
            rows.append((role_label(role), username, secret))
        created += demo_people_register(actor=actor)
        created += demo_applications_load(actor=actor)
        administrator = User.objects.filter(username="admin").first()
        created += demo_scheme_load(actor=actor, administrator=administrator)
        created += demo_screening_load(actor=actor, granter=administrator)
        created += demo_cases_load()

        self.stdout.write(
            f"Demo data ready ({created} records created; running this again changes nothing)."
        )
        self.stdout.write(f"\nEvery demo account's password is: {DEMO_PASSWORD}\n")
        self.stdout.write(
            f"{'Role':<30} {'Username':<14} TOTP secret (add to an authenticator app)"
        )
        for label, username, secret in rows:
            self.stdout.write(f"{label:<30} {username:<14} {secret}")
        self.stdout.write(
            "\nOr print an account's current 6-digit code with:"
            "  .venv/bin/python manage.py demo_otp USERNAME\n"
        )
        self.stdout.write(
            "Applicants have no account: open /apply/ and give any email address or mobile "
            "number (+ and country code); the server prints the one-time code it sends.\n"
            "A demo applicant with a sent application: amal.haddad@demo.safepassage.invalid\n"
        )
