"""Print the policy gate's verdict, as JSON, for an action on a set of facts.

    manage.py policy_check --action detain --facts FACTS.json [--on YYYY-MM-DD]
    manage.py policy_check --action remove --facts - < facts.json

Exit 0 with the verdict on stdout. Bad input (an unknown action, malformed JSON, an unknown key
or vulnerability code, an impossible date, a wrong type) exits 2 with one line on stderr.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safepassage.core.errors import DomainError
from safepassage.policy.services import policy_verdict

BAD_INPUT = 2


def _fail(message: str) -> CommandError:
    return CommandError(" ".join(message.split()), returncode=BAD_INPUT)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--action", required=True)
        parser.add_argument("--facts", required=True, help="a JSON file, or - for stdin")
        parser.add_argument(
            "--on", help="the date to judge by, YYYY-MM-DD (default: facts.on, then today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = self._read(options["facts"])
        try:
            facts = json.loads(text)
        except json.JSONDecodeError as error:
            where = f"line {error.lineno}, column {error.colno}"
            raise _fail(f"the facts are not valid JSON: {error.msg} at {where}") from None
        on = None
        if options["on"]:
            try:
                on = date.fromisoformat(options["on"])
            except ValueError:
                raise _fail(
                    f"--on must be a real date written YYYY-MM-DD, not {options['on']!r}"
                ) from None
        try:
            verdict = policy_verdict(action=options["action"], facts=facts, on=on)
        except DomainError as error:
            raise _fail(str(error.message)) from None
        self.stdout.write(json.dumps(verdict.as_dict(), indent=2, ensure_ascii=False))

    def _read(self, source: str) -> str:
        if source == "-":
            return sys.stdin.read()
        try:
            return Path(source).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise _fail(f"no facts file at {source}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise _fail(f"cannot read the facts file {source}: {error}") from None
