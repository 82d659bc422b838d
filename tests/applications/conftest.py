"""Fixtures for the applicant portal's page tests: where messages and files go."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from safepassage.applications.models import PartnerOrganisation
from safepassage.core import sms
from safepassage.core.models import User
from tests.applications.helpers import make_partner_caseworker


@pytest.fixture
def portal(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Text messages kept in core.sms.outbox, tasks run at once (after commit, with
    django_capture_on_commit_callbacks), and uploads stored in a temporary directory, which is
    returned."""
    settings.SMS_BACKEND = "safepassage.core.sms.LocmemSmsBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    sms.clear_outbox()
    yield settings.PRIVATE_MEDIA_ROOT
    sms.clear_outbox()


@pytest.fixture
def organisation(db: Any) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(code="refugee-legal", name="Refugee Legal Aid")


@pytest.fixture
def other_organisation(db: Any) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(code="border-aid", name="Border Aid")


@pytest.fixture
def make_caseworker(
    make_user: Callable[..., User],
) -> Callable[[PartnerOrganisation], User]:
    def make(organisation: PartnerOrganisation) -> User:
        return make_partner_caseworker(make_user, organisation)

    return make
