"""seed_demo: realistic demo data, one login per role, idempotent."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command

from safepassage.applications.models import BiometricCentre, WatchList
from safepassage.core.models import User
from safepassage.core.roles import Role
from safepassage.people.models import Identity, Person

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_prints_one_login_per_role_and_running_it_twice_changes_nothing():
    first = io.StringIO()
    call_command("seed_demo", stdout=first)
    counts = _row_counts()
    second = io.StringIO()
    call_command("seed_demo", stdout=second)

    assert _row_counts() == counts
    assert "0 records created" in second.getvalue()
    for role in Role:
        assert str(role.label) in first.getvalue()
        assert User.objects.filter(groups__name=role.value, is_active=True).count() == 1
    assert "safe-passage-demo" in first.getvalue()
    # Generated people, some registered twice, for the candidate review to show.
    assert Person.objects.count() >= 30
    assert Identity.objects.filter(given_names="").count() < Identity.objects.count()
    # Applicants can book biometrics, and decision makers can run a security check.
    assert BiometricCentre.objects.filter(is_active=True, opening_hours__isnull=False).exists()
    assert WatchList.objects.get(is_current=True).entry_count == 3
    assert (
        first.getvalue().split("Demo data ready")[1].split("\n", 1)[1]
        == (second.getvalue().split("Demo data ready")[1].split("\n", 1)[1])
    )


def test_demo_accounts_can_sign_in_with_the_printed_password_and_code(client):
    from django_otp.oath import totp

    from safepassage.core.services.demo import demo_totp_key

    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_otp", "admin", stdout=out)
    code = out.getvalue().split()[0]
    key = bytes.fromhex(demo_totp_key("admin"))
    assert code == f"{totp(key, 30, 0, 6, 0):06d}"
    assert User.objects.get(username="admin").check_password("safe-passage-demo")
