"""factory_boy factories: each test builds exactly what it needs."""

from __future__ import annotations

from typing import Any, cast

import factory
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from safepassage.core.models import Location, LocationKind, User


class LocationFactory(factory.django.DjangoModelFactory[Location]):
    class Meta:
        model = Location
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"location-{n}")
    name = factory.Sequence(lambda n: f"Location {n}")
    kind = LocationKind.INTAKE_UNIT
    region = "Kent"


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A member of staff. ``roles=[...]`` and ``locations=[...]`` set groups and places."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Officer Number{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            cast(User, self).groups.set(Group.objects.filter(name__in=extracted))

    @factory.post_generation
    def locations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create:
            return
        cast(User, self).locations.set(
            extracted if extracted is not None else [cast(Location, LocationFactory())]
        )

    @factory.post_generation
    def two_factor(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            TOTPDevice.objects.create(
                user=cast(User, self), name="Authenticator app", confirmed=True
            )
        cast(User, self).save()


PASSWORD = "correct-horse-battery"
