"""bootstrap_admin: the first administrator of a new deployment."""

from __future__ import annotations

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from safepassage.core.models import User
from safepassage.core.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

ARGS = [
    "--username=a.yusuf",
    "--full-name=Amina Yusuf",
    "--email=amina@example.org",
    "--location=national-office",
]


def test_creates_the_first_administrator_and_emails_a_link(make_user):
    call_command("bootstrap_admin", *ARGS, "--location-name=National office", stdout=io.StringIO())
    admin = User.objects.get(username="a.yusuf")
    assert admin.role_codes == [Role.ADMINISTRATOR]
    assert [location.code for location in admin.locations.all()] == ["national-office"]
    assert len(mail.outbox) == 1


def test_refused_once_an_administrator_exists(make_user):
    make_user(Role.ADMINISTRATOR)
    with pytest.raises(CommandError, match="already exists"):
        call_command("bootstrap_admin", *ARGS, "--location-name=National office")
    assert not User.objects.filter(username="a.yusuf").exists()


def test_bad_input_is_explained_and_nothing_is_created(make_user):
    with pytest.raises(CommandError, match="email: Enter an email address in the correct format"):
        call_command(
            "bootstrap_admin",
            "--username=a.yusuf",
            "--full-name=Amina Yusuf",
            "--email=not-an-email",
            "--location=national-office",
            "--location-name=National office",
        )
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="give --location-name"):
        call_command("bootstrap_admin", *ARGS)
