"""Verify every audit chain. Exit 0 when intact; otherwise exit 1 naming the first bad event."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from safepassage.audit.models import VerificationTrigger
from safepassage.audit.services import audit_chain_verify
from safepassage.core.actors import SystemActor


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        verification = audit_chain_verify(
            actor=SystemActor("audit_verify"), trigger=VerificationTrigger.COMMAND
        )
        if verification.ok:
            heads = ", ".join(
                f"{stream} #{head['sequence']}"
                for stream, head in sorted(verification.heads.items())
            )
            self.stdout.write(
                f"Audit chain intact: {verification.events_checked} events checked ({heads})."
            )
            return
        self.stderr.write(f"Audit chain BROKEN at {verification.problem}")
        sys.exit(1)
