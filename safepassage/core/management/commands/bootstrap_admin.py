"""Create the first administrator of a new deployment, and email them a set-password link.

    manage.py bootstrap_admin --username a.yusuf --full-name "Amina Yusuf" \\
        --email amina@example.org --location national-office --location-name "National office"

Refused once an active administrator exists: from then on, administrators create accounts on the
Users page, where every change is checked and audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safepassage.core.actors import SystemActor
from safepassage.core.errors import DomainError
from safepassage.core.models import Location, LocationKind, User
from safepassage.core.roles import Role
from safepassage.core.services.locations import location_create
from safepassage.core.services.users import user_create


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--location", required=True, help="location code")
        parser.add_argument(
            "--location-name", help="creates the location (an office) when it does not exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(is_active=True, groups__name=Role.ADMINISTRATOR).exists():
            raise CommandError(
                "An active administrator already exists; create accounts on the Users page."
            )
        actor = SystemActor("bootstrap_admin")
        try:
            with transaction.atomic():
                location = Location.objects.filter(code=options["location"]).first()
                if location is None:
                    if not options["location_name"]:
                        code = options["location"]
                        raise CommandError(
                            f"No location {code!r}: give --location-name to create it."
                        )
                    location = location_create(
                        actor=actor,
                        code=options["location"],
                        name=options["location_name"],
                        kind=LocationKind.OFFICE,
                    )
                user = user_create(
                    actor=actor,
                    username=options["username"],
                    full_name=options["full_name"],
                    email=options["email"],
                    roles=[Role.ADMINISTRATOR],
                    locations=[location],
                )
        except DomainError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.field_errors().items()
            )
            raise CommandError(problems) from error
        self.stdout.write(
            f"Administrator {user.username} created at {location.name}. "
            "They have been emailed a link to set a password."
        )
