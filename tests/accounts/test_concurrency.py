"""Races: one code signs in once; parallel code requests never beat the destination throttle."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from apps.accounts.models import LoginCodeDevice, User
from apps.core.models import OutboxMessage
from tests.accounts.conftest import last_code_sent_to

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = "+33612345678"


def race(count: int, action) -> list[int]:
    """Run `action()` in `count` threads released together; their status codes, sorted."""
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(action().status_code)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(statuses)


def test_the_same_code_verified_in_parallel_signs_in_exactly_once():
    APIClient().post("/api/v1/auth/otp/request/", {"phone": PHONE}, format="json")
    code = last_code_sent_to(PHONE)

    statuses = race(
        4,
        lambda: APIClient().post(
            "/api/v1/auth/otp/verify/", {"phone": PHONE, "code": code}, format="json"
        ),
    )

    assert statuses == [200, 400, 400, 400]
    assert User.objects.filter(phone=PHONE).count() == 1


def test_parallel_first_requests_for_one_destination_pass_the_throttle_three_times_only():
    statuses = race(
        6,
        lambda: APIClient().post("/api/v1/auth/otp/request/", {"phone": PHONE}, format="json"),
    )

    assert statuses == [202, 202, 202, 429, 429, 429]
    assert LoginCodeDevice.objects.filter(destination=PHONE).count() == 1
    assert OutboxMessage.objects.filter(to=PHONE).count() == 3
