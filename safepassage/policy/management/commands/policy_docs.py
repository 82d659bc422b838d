"""Write docs/policy.md from the rule pack (--check: exit 1 if the file is out of date)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from safepassage.policy.docs import render_policy_docs
from safepassage.policy.packs import get_pack

DOCS = Path(settings.BASE_DIR) / "docs" / "policy.md"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render_policy_docs(get_pack())
        if options["check"]:
            if not DOCS.exists() or DOCS.read_text(encoding="utf-8") != text:
                self.stderr.write("docs/policy.md is out of date: run manage.py policy_docs")
                sys.exit(1)
            self.stdout.write("docs/policy.md is up to date.")
            return
        DOCS.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {DOCS}.")
