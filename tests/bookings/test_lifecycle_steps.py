"""Start, cancel and the cancellation fee: timestamps, events, allocations, bad input."""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, DriverAllocation, TruckAllocation
from apps.pricing.examples import SMALL_LOCAL_MOVER
from tests.bookings.factories import BookingFactory
from tests.bookings.lifecycle_support import booking_in, db_state, url
from tests.conftest import auth_client_for
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = pytest.mark.django_db

Status = Booking.Status


def rules_with(cancellation: dict | None) -> dict:
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    if cancellation is not None:
        document["cancellation"] = cancellation
    return stored_rules(document)


# --- start


def test_the_assigned_driver_starts_the_job_and_the_time_is_recorded(alice):
    booking = booking_in(Status.SCHEDULED, company=alice)
    before = timezone.now()

    response = alice.driver_client.post(url(booking, "start"), {}, format="json")

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == Status.IN_PROGRESS
    assert before <= booking.started_at <= timezone.now()
    assert response.json()["started_at"] == booking.started_at.isoformat().replace("+00:00", "Z")
    event = BookingEvent.objects.get(booking=booking)
    assert (event.kind, event.actor, event.data) == (
        "started",
        alice.driver_user,
        {"from": "scheduled"},
    )


def test_starting_earlier_than_the_setting_allows_is_refused(alice, settings):
    settings.BOOKING_START_EARLIEST_HOURS = 12
    start = timezone.now() + timedelta(hours=13)
    booking = booking_in(Status.SCHEDULED, company=alice, start=start)
    before = db_state()

    response = alice.dispatcher_client.post(url(booking, "start"), {}, format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "invalid_transition"
    assert error["details"]["earliest"] == (start - timedelta(hours=12)).isoformat()
    assert db_state() == before


def test_starting_within_the_setting_before_the_scheduled_start_is_allowed(alice, settings):
    settings.BOOKING_START_EARLIEST_HOURS = 12
    booking = booking_in(
        Status.SCHEDULED, company=alice, start=timezone.now() + timedelta(hours=11)
    )

    response = alice.dispatcher_client.post(url(booking, "start"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"


def test_start_refuses_unknown_fields(alice):
    booking = booking_in(Status.SCHEDULED, company=alice)
    before = db_state()

    response = alice.owner_client.post(url(booking, "start"), {"force": True}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"force": ["Unknown field."]}
    assert db_state() == before


# --- cancel


def test_staff_cancelling_a_scheduled_booking_releases_its_allocations(alice):
    booking = booking_in(Status.SCHEDULED, company=alice)

    response = alice.dispatcher_client.post(
        url(booking, "cancel"), {"reason": "Truck broke down"}, format="json"
    )

    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert booking.cancelled_at is not None
    assert booking.cancellation_fee is None
    for model in (TruckAllocation, DriverAllocation):
        assert list(
            model.objects.filter(booking=booking).values_list("released_at", flat=True)
        ) == [booking.cancelled_at]
    event = BookingEvent.objects.get(booking=booking)
    assert event.kind == "cancelled"
    assert event.data == {
        "from": "scheduled",
        "by": "company",
        "reason": "Truck broke down",
        "cancellation_fee": None,
        "currency": "EUR",
        "allocations_released": 2,
    }


def test_a_released_slot_can_be_allocated_again(alice):
    booking = booking_in(Status.SCHEDULED, company=alice)
    alice.owner_client.post(url(booking, "cancel"), {}, format="json")

    again = booking_in(Status.SCHEDULED, company=alice, start=booking.scheduled_start)

    assert TruckAllocation.objects.filter(booking=again, released_at__isnull=True).count() == 1


def test_a_reason_longer_than_2000_characters_is_refused(alice):
    booking = booking_in(Status.CONFIRMED, company=alice)
    before = db_state()

    response = auth_client_for(booking.customer).post(
        url(booking, "cancel"), {"reason": "x" * 2001}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["reason"]
    assert db_state() == before


def test_a_reason_of_2000_characters_is_kept_in_the_event(alice):
    booking = booking_in(Status.CONFIRMED, company=alice)

    response = auth_client_for(booking.customer).post(
        url(booking, "cancel"), {"reason": "x" * 2000}, format="json"
    )

    assert response.status_code == 200
    assert BookingEvent.objects.get(booking=booking).data["reason"] == "x" * 2000


# --- cancellation fee


def _notice_booking(alice, *, hours_before: float, cancellation: dict | None) -> Booking:
    PricingConfigFactory(company=alice.company, rules=rules_with(cancellation))
    start = timezone.now() + timedelta(hours=hours_before)
    return BookingFactory(
        company=alice.company,
        move_request__window_start=start,
        move_request__window_end=start + timedelta(hours=3),
    )


def test_a_customer_cancelling_within_the_notice_period_owes_the_fee(alice):
    booking = _notice_booking(
        alice, hours_before=10, cancellation={"notice_hours": 48, "fee_percent": "20", "fee": "5"}
    )

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["cancellation_fee"] == "62.60"  # 5 + 20 % of 288.00
    booking.refresh_from_db()
    assert booking.cancellation_fee == Decimal("62.60")
    event = BookingEvent.objects.get(booking=booking)
    assert (event.data["by"], event.data["cancellation_fee"]) == ("customer", "62.60")


def test_a_customer_cancelling_before_the_notice_period_owes_nothing(alice):
    booking = _notice_booking(
        alice, hours_before=49, cancellation={"notice_hours": 48, "fee_percent": "20"}
    )

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["cancellation_fee"] is None


def test_the_company_cancelling_within_the_notice_period_charges_the_customer_nothing(alice):
    booking = _notice_booking(
        alice, hours_before=10, cancellation={"notice_hours": 48, "fee_percent": "20"}
    )

    response = alice.owner_client.post(url(booking, "cancel"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["cancellation_fee"] is None


def test_rules_without_a_cancellation_block_charge_no_fee(alice):
    booking = _notice_booking(alice, hours_before=1, cancellation=None)

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["cancellation_fee"] is None


def test_the_fee_comes_from_the_quotes_pricing_version_not_a_later_one(alice):
    booking = _notice_booking(
        alice, hours_before=10, cancellation={"notice_hours": 48, "fee": "30.00"}
    )
    PricingConfigFactory(
        company=alice.company,
        version=2,
        rules=rules_with({"notice_hours": 72, "fee_percent": "100"}),
    )

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.json()["cancellation_fee"] == "30.00"


def test_the_fee_never_exceeds_the_booking_total(alice):
    booking = _notice_booking(
        alice, hours_before=10, cancellation={"notice_hours": 48, "fee": "500.00"}
    )

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.json()["cancellation_fee"] == "288.00"


def test_the_notice_period_counts_from_the_scheduled_start_once_scheduled(alice):
    PricingConfigFactory(
        company=alice.company, rules=rules_with({"notice_hours": 24, "fee_percent": "10"})
    )
    booking = booking_in(Status.SCHEDULED, company=alice, start=timezone.now() + timedelta(hours=5))

    response = auth_client_for(booking.customer).post(url(booking, "cancel"), {}, format="json")

    assert response.json()["cancellation_fee"] == "28.80"
