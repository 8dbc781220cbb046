"""Demo accounts for seed_demo: the platform admin, a customer, and demo users with a password.

Local demo data only. The password is `movehub-demo` unless MOVEHUB_DEMO_PASSWORD says otherwise.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from apps.accounts.models import User

DEMO_PASSWORD_ENV = "MOVEHUB_DEMO_PASSWORD"
DEMO_PASSWORD_DEFAULT = "movehub-demo"

ADMIN_EMAIL = "admin@movehub.demo"
CUSTOMER_PHONE = "+33612345678"
CUSTOMER_EMAIL = "customer@movehub.demo"


@dataclass(frozen=True)
class DemoAccounts:
    admin: User
    customer: User


def demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_ENV, DEMO_PASSWORD_DEFAULT)


def demo_user_ensure(*, email: str, password: str, phone: str | None = None, **extra: Any) -> User:
    """The user with this e-mail, created if missing; its password reset to `password`."""
    user, created = User.objects.get_or_create(
        email=email, defaults={"phone": phone, "name": extra.pop("name", ""), **extra}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def demo_accounts_ensure(*, password: str) -> DemoAccounts:
    """The platform admin (superuser) and the customer, who signs in with one-time codes."""
    admin = demo_user_ensure(
        email=ADMIN_EMAIL, password=password, name="Ada Admin", is_staff=True, is_superuser=True
    )
    customer, _ = User.objects.get_or_create(
        phone=CUSTOMER_PHONE, defaults={"email": CUSTOMER_EMAIL, "name": "Chloé Customer"}
    )
    return DemoAccounts(admin=admin, customer=customer)
