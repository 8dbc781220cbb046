"""factory_boy factories for accounts."""

from __future__ import annotations

import factory

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
