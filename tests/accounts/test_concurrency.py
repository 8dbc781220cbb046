"""Races: one code signs in once; parallel code requests never beat the destination throttle."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import LoginCodeDevice, User
from apps.core.models import OutboxMessage
from tests.accounts.conftest import last_code_sent_to
from tests.race import race_same

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+33612345678"


def test_the_same_code_verified_in_parallel_signs_in_exactly_once():
    APIClient().post("/api/v1/auth/otp/request/", {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)

    responses = race_same(
        4,
        lambda: APIClient().post(
            "/api/v1/auth/otp/verify/", {"phone": PHONE, "code": code}, format="json"
        ),
    )
    statuses = sorted(response.status_code for response in responses)

    assert statuses == [200, 400, 400, 400]
    assert User.objects.filter(phone=PHONE).count() == 1


def test_parallel_first_requests_for_one_destination_pass_the_throttle_three_times_only():
    responses = race_same(
        6,
        lambda: APIClient().post("/api/v1/auth/otp/request/", {"phone": PHONE}, format="json"),
    )
    statuses = sorted(response.status_code for response in responses)

    assert statuses == [202, 202, 202, 429, 429, 429]
    assert LoginCodeDevice.objects.filter(destination=PHONE).count() == 1
    assert OutboxMessage.objects.filter(to=PHONE).count() == 3
