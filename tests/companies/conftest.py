"""Fixtures and helpers of the companies tests: a company-less user, a database snapshot."""

from __future__ import annotations

from typing import Any

import pytest

from apps.accounts.models import User
from apps.companies.models import Company, Driver, Membership, ServiceArea, Truck
from tests.accounts.factories import UserFactory
from tests.conftest import auth_client_for


@pytest.fixture
def newcomer(db) -> User:
    """A signed-in person who belongs to no company yet."""
    return UserFactory(email="newcomer@example.com", name="Nina Newcomer")


@pytest.fixture
def newcomer_client(newcomer):
    return auth_client_for(newcomer)


def db_state() -> dict[str, Any]:
    """Every row the companies app owns, and the users: a refusal must change none of them."""
    return {
        "companies": list(Company.objects.order_by("id").values()),
        "memberships": list(Membership.objects.order_by("id").values()),
        "trucks": list(Truck.objects.order_by("id").values()),
        "drivers": list(Driver.objects.order_by("id").values()),
        "areas": [
            (area.id, area.company_id, area.name, area.area.wkt, area.updated_at)
            for area in ServiceArea.objects.order_by("id")
        ],
        "users": list(User.objects.order_by("id").values("id", "email", "password", "is_active")),
    }
