"""factory_boy factories for accounts."""

from __future__ import annotations

import time

import factory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User

TEST_PASSWORD = "correct-horse-battery-staple-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    phone = None
    name = factory.Faker("name")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class CustomerFactory(UserFactory):
    email = None
    phone = factory.Sequence(lambda n: f"+3361{n:07d}")


class AdminFactory(UserFactory):
    """A platform admin (is_staff) who signs in with a password."""

    is_staff = True
    is_superuser = True


class TotpDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (django-otp TOTP device)."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


def totp_token(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the device's authenticator app shows now (or `steps_ahead` 30 s steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"
