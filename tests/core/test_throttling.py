"""The default throttle: anonymous clients by address at the anon rate, users by id at theirs."""

from __future__ import annotations

import pytest

from apps.core.throttling import ClientRateThrottle
from tests.accounts.factories import UserFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})


def test_anonymous_client_gets_the_anon_rate(api_client, rates):
    statuses = [api_client.get("/api/v1/companies/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_signed_in_user_gets_the_user_rate_whatever_the_address(rates):
    client = auth_client_for(UserFactory())
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_users_do_not_share_a_budget(rates):
    first, second = auth_client_for(UserFactory()), auth_client_for(UserFactory())
    assert [first.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    assert second.get("/api/v1/me/").status_code == 200
