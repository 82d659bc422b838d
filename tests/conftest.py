"""Shared test fixtures. Tests run against SQLite by default, PostgreSQL with DATABASE_URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.core.models import User
from safepassage.core.roles import ROLE_PERMISSIONS, Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fast_hashing(settings: Any) -> None:
    # Argon2 is the real hasher (tests/core/test_settings.py proves it); it is slow on purpose,
    # so most tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _locmem_email(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _restore_roles() -> None:
    """Transactional tests empty every table between tests, taking the roles the migrations
    made; put them back as core.roles says they are (test_roles proves the two agree)."""
    if Group.objects.filter(name__in=Role.values).count() == len(Role.values):
        return
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (name.split(".") for name in permissions)
            ]
        )


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    _restore_roles()

    def make(*roles: str, **kwargs: Any) -> User:
        return cast(User, UserFactory(roles=list(roles), **kwargs))

    return make


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    return make_user(Role.ADMINISTRATOR)


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def signed_in_client(user: User) -> Client:
    """A client signed in with both factors, as after the real sign-in."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    return signed_in_client


def is_postgres() -> bool:
    return connection.vendor == "postgresql"
