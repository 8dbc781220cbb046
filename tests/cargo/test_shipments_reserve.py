"""POST /cargo/shipments/: reserving one or two legs, all or nothing, priced, referenced."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.bookings.models import Notification, NotificationDelivery
from apps.cargo.models import Shipment, Trip, TripStatus
from apps.cargo.references import ALPHABET
from apps.companies.models import Company
from tests.cargo.factories import HubFactory, TripFactory
from tests.cargo.support import SHIPMENTS_URL, cargo_rows, connecting, reserve_body, sold

pytestmark = pytest.mark.django_db


def test_a_customer_reserves_one_leg(customer, customer_client, alice):
    trip = TripFactory(company=alice.company, price_per_m3=Decimal("40.00"))

    response = customer_client.post(
        SHIPMENTS_URL, reserve_body([trip], "2.500", "120.000"), format="json"
    )

    assert response.status_code == 201, response.json()
    answer = response.json()
    shipment = Shipment.objects.get()
    assert re.fullmatch(rf"MH-[{ALPHABET}]{{6}}", answer["reference"])
    assert answer["reference"] == shipment.reference
    assert (answer["status"], answer["price"], answer["currency"]) == ("BOOKED", "100.00", "EUR")
    assert (answer["volume_m3"], answer["weight_kg"]) == ("2.500", "120.000")
    assert [(leg["order"], leg["trip"]) for leg in answer["legs"]] == [(1, trip.id)]
    assert [(event["status"], event["hub"]) for event in answer["events"]] == [
        ("BOOKED", trip.origin_hub.code)
    ]
    assert sold(trip) == (Decimal("2.500"), Decimal("120.000"))
    assert shipment.customer_id == customer.id
    notice = Notification.objects.get(user=customer)
    assert (notice.kind, notice.data) == (
        "shipment_booked",
        {"shipment": shipment.reference, "status": "BOOKED"},
    )


def test_two_legs_are_priced_per_leg_with_minimum_charges(customer_client, alice, bob):
    first = TripFactory(company=alice.company, price_per_m3=Decimal("33.33"))
    second = connecting(first, company=bob.company, min_charge=Decimal("50.00"))

    response = customer_client.post(
        SHIPMENTS_URL, reserve_body([first, second], "1.005", "10"), format="json"
    )

    assert response.status_code == 201, response.json()
    # 1.005 x 33.33 = 33.49665 -> 33.50; 1.005 x 40.00 = 40.20 -> the 50.00 minimum.
    assert response.json()["price"] == "83.50"
    legs = response.json()["legs"]
    assert [(leg["order"], leg["trip"], leg["company"]) for leg in legs] == [
        (1, first.id, alice.company.id),
        (2, second.id, bob.company.id),
    ]
    assert sold(first) == sold(second) == (Decimal("1.005"), Decimal("10.000"))


def test_a_full_leg_is_capacity_exhausted_and_nothing_is_reserved(customer_client, alice):
    trip = TripFactory(company=alice.company, sold_m3=Decimal("9.500"))
    before = cargo_rows()

    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip], "0.501"), format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["details"]) == ("capacity_exhausted", {"trip": trip.id, "leg": 1})
    assert error["message"] == (
        f"Leg 1 (trip {trip.id}) has 0.500 m3 and 1000.000 kg left; "
        "this shipment needs 0.501 m3 and 10.000 kg."
    )
    assert cargo_rows() == before


def test_the_last_cubic_metre_can_be_sold(customer_client, alice):
    trip = TripFactory(company=alice.company, sold_m3=Decimal("9.000"))

    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip], "1"), format="json")

    assert response.status_code == 201
    assert sold(trip)[0] == trip.capacity_m3


def test_the_weight_limit_refuses_a_light_volume_heavy_load(customer_client, alice):
    trip = TripFactory(company=alice.company, sold_kg=Decimal("990.000"))
    before = cargo_rows()

    heavy = customer_client.post(
        SHIPMENTS_URL, reserve_body([trip], "0.1", "10.001"), format="json"
    )
    fits = customer_client.post(SHIPMENTS_URL, reserve_body([trip], "0.1", "10"), format="json")

    assert heavy.status_code == 409
    assert heavy.json()["error"]["details"] == {"trip": trip.id, "leg": 1}
    assert fits.status_code == 201
    assert sold(trip) == (Decimal("0.100"), Decimal("1000.000"))
    assert len(cargo_rows()["shipments"]) == len(before["shipments"]) + 1


def test_a_full_second_leg_reserves_nothing_on_the_first(customer_client, alice):
    first = TripFactory(company=alice.company)
    second = connecting(first, sold_m3=Decimal("10.000"))
    before = cargo_rows()

    response = customer_client.post(
        SHIPMENTS_URL, reserve_body([first, second], "1"), format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"trip": second.id, "leg": 2}
    assert sold(first) == (Decimal("0.000"), Decimal("0.000"))
    assert cargo_rows() == before


def test_a_full_first_leg_with_the_higher_id_is_named_leg_1(customer_client, alice):
    # Legs are taken in trip-id order: here the second leg (lower id) is taken first, then
    # rolled back when the first leg (higher id) is full.
    hub = HubFactory()
    second = TripFactory(company=alice.company, origin_hub=hub, departs_at=_days(4))
    first = TripFactory(
        company=alice.company,
        destination_hub=hub,
        departs_at=_days(4) - timedelta(hours=9),
        arrives_at=_days(4) - timedelta(hours=3),
        sold_m3=Decimal("10.000"),
    )
    before = cargo_rows()

    response = customer_client.post(
        SHIPMENTS_URL, reserve_body([first, second], "1"), format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["details"] == {"trip": first.id, "leg": 1}
    assert cargo_rows() == before


def _days(days: int):
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0)


def test_a_replayed_idempotency_key_reserves_once(customer_client, alice):
    trip = TripFactory(company=alice.company)
    body = reserve_body([trip], "1")

    first = customer_client.post(SHIPMENTS_URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = customer_client.post(SHIPMENTS_URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    other = customer_client.post(
        SHIPMENTS_URL, reserve_body([trip], "2"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert Shipment.objects.count() == 1
    assert sold(trip)[0] == Decimal("1.000")


def test_customers_get_an_email_when_they_have_an_address(alice, customer, customer_client):
    customer.email = "kim@example.com"
    customer.save(update_fields=["email"])
    trip = TripFactory(company=alice.company)

    customer_client.post(SHIPMENTS_URL, reserve_body([trip]), format="json")

    deliveries = NotificationDelivery.objects.filter(notification__user=customer)
    assert list(deliveries.values_list("channel", "to")) == [("email", "kim@example.com")]


def test_an_unverified_companys_trip_cannot_be_booked(customer_client, alice):
    trip = TripFactory(company=alice.company)
    Company.objects.filter(pk=alice.company.pk).update(
        verification_status=Company.VerificationStatus.SUSPENDED
    )
    before = cargo_rows()

    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip]), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"legs": [f"No trip {trip.id} open for booking."]}
    assert cargo_rows() == before


@pytest.mark.parametrize("status", [TripStatus.DEPARTED, TripStatus.CANCELLED])
def test_a_trip_that_is_not_scheduled_cannot_be_booked(customer_client, alice, status):
    trip = TripFactory(company=alice.company)
    Trip.objects.filter(pk=trip.pk).update(status=status)
    before = cargo_rows()

    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip]), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "legs": [f"Trip {trip.id} is no longer open for booking."]
    }
    assert cargo_rows() == before


def test_anonymous_cannot_reserve(api_client, alice):
    trip = TripFactory(company=alice.company)

    response = api_client.post(SHIPMENTS_URL, reserve_body([trip]), format="json")

    assert response.status_code == 401
    assert sold(trip)[0] == Decimal("0.000")


def test_the_dearest_two_leg_shipment_the_limits_allow_is_priced_without_overflow(
    customer_client, alice
):
    # Given two connecting trips at the highest price per m3 a trip may be published with
    first = TripFactory(company=alice.company, price_per_m3=Decimal("100000.00"))
    second = connecting(first, price_per_m3=Decimal("100000.00"))
    for trip in (first, second):
        trip.capacity_m3, trip.capacity_kg = Decimal("200"), Decimal("40000")
        trip.save(update_fields=["capacity_m3", "capacity_kg"])

    # When the largest allowed volume is booked on both
    response = customer_client.post(
        SHIPMENTS_URL, reserve_body([first, second], "200.000", "40000.000"), format="json"
    )

    # Then the price fits: 2 x 200 x 100,000.00
    assert response.status_code == 201, response.json()
    assert response.json()["price"] == "40000000.00"
