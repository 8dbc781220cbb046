"""Completing (an invoice) and cancelling (a fee) are money-bearing: they honour Idempotency-Key."""

from __future__ import annotations

import pytest

from apps.bookings.models import Booking, BookingEvent, Invoice
from tests.bookings.lifecycle_support import booking_in, url
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

Status = Booking.Status


def test_a_retried_completion_replays_the_first_answer_and_issues_one_invoice(alice):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code="482913")
    body = {"handover_code": "482913", "actual_hours": "3"}
    headers = {"HTTP_IDEMPOTENCY_KEY": "complete-1"}

    first = alice.driver_client.post(url(job, "complete"), body, format="json", **headers)
    again = alice.driver_client.post(url(job, "complete"), body, format="json", **headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Invoice.objects.filter(booking=job).count() == 1
    assert BookingEvent.objects.filter(booking=job, kind="completed").count() == 1


def test_a_completion_key_reused_with_another_body_is_422_and_changes_nothing(alice):
    job = booking_in(Status.IN_PROGRESS, company=alice, handover_code="482913")
    headers = {"HTTP_IDEMPOTENCY_KEY": "complete-2"}
    wrong = {"handover_code": "000000"}
    first = alice.driver_client.post(url(job, "complete"), wrong, format="json", **headers)

    reused = alice.driver_client.post(
        url(job, "complete"), {"handover_code": "482913"}, format="json", **headers
    )

    assert first.status_code == 400
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    job.refresh_from_db()
    assert job.status == Status.IN_PROGRESS
    assert not Invoice.objects.filter(booking=job).exists()


def test_a_retried_cancellation_replays_the_first_answer(alice):
    booking = booking_in(Status.CONFIRMED, company=alice)
    client = auth_client_for(booking.customer)
    body, headers = {"reason": "Plans changed."}, {"HTTP_IDEMPOTENCY_KEY": "cancel-1"}

    first = client.post(url(booking, "cancel"), body, format="json", **headers)
    again = client.post(url(booking, "cancel"), body, format="json", **headers)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.content == first.content
    assert BookingEvent.objects.filter(booking=booking, kind="cancelled").count() == 1
