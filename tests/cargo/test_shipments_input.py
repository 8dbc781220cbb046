"""Bad input at the limits of POST /cargo/shipments/: 400 in the envelope, nothing stored."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from apps.cargo.models import Trip
from tests.cargo.factories import TripFactory
from tests.cargo.support import SHIPMENTS_URL, cargo_rows, connecting, reserve_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def trip(alice):
    return TripFactory(company=alice.company, capacity_m3=Decimal("200.000"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"volume_m3": "0"}, "volume_m3"),
        ({"volume_m3": "-1"}, "volume_m3"),
        ({"volume_m3": "200.001"}, "volume_m3"),
        ({"volume_m3": "0.0001"}, "volume_m3"),
        ({"volume_m3": True}, "volume_m3"),
        ({"weight_kg": "0"}, "weight_kg"),
        ({"weight_kg": "40000.001"}, "weight_kg"),
        ({"weight_kg": "NaN"}, "weight_kg"),
        ({"legs": []}, "legs"),
        ({"legs": "1"}, "legs"),
        ({"legs": [0]}, "legs"),
        ({"legs": [2**63]}, "legs"),
        ({"legs": ["1"]}, "legs"),
        ({"customer": 1}, "customer"),
    ],
)
def test_bad_fields_are_refused(customer_client, trip, change, field):
    body = {**reserve_body([trip]), **change}
    before = cargo_rows()

    response = customer_client.post(SHIPMENTS_URL, body, format="json")

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert (error["code"], list(error["details"])) == ("invalid", [field])
    assert cargo_rows() == before


def test_the_limits_themselves_are_accepted(customer_client, trip):
    body = reserve_body([trip], "200.000", "40000.000")
    trip.capacity_kg = Decimal("40000.000")
    Trip.objects.filter(pk=trip.pk).update(capacity_kg=Decimal("40000.000"))

    response = customer_client.post(SHIPMENTS_URL, body, format="json")

    assert response.status_code == 201, response.json()


def _refused(client, legs, expected_messages):
    before = cargo_rows()
    response = client.post(SHIPMENTS_URL, {**reserve_body(legs)}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["error"]["details"] == {"legs": expected_messages}
    assert cargo_rows() == before


def test_an_unknown_trip_is_refused(customer_client, trip):
    before = cargo_rows()

    response = customer_client.post(
        SHIPMENTS_URL, {**reserve_body([trip]), "legs": [trip.id, 987654]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"legs": ["No trip 987654 open for booking."]}
    assert cargo_rows() == before


def test_three_legs_are_refused(customer_client, trip):
    second = connecting(trip)
    third = connecting(second)
    before = cargo_rows()

    response = customer_client.post(
        SHIPMENTS_URL, reserve_body([trip, second, third]), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["legs"]
    assert cargo_rows() == before


def test_the_same_trip_twice_is_refused(customer_client, trip):
    before = cargo_rows()

    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip, trip]), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"legs": ["Name each trip once."]}
    assert cargo_rows() == before


def test_legs_that_do_not_meet_at_a_hub_are_refused(customer_client, trip):
    elsewhere = TripFactory(
        company=trip.company,
        departs_at=trip.arrives_at + timedelta(hours=3),
        arrives_at=trip.arrives_at + timedelta(hours=8),
    )

    _refused(
        customer_client,
        [trip, elsewhere],
        [
            f"Trip {elsewhere.id} leaves from {elsewhere.origin_hub.code}, not from "
            f"{trip.destination_hub.code} where trip {trip.id} arrives."
        ],
    )


def test_legs_in_the_wrong_order_are_refused(customer_client, trip):
    second = connecting(trip)

    response = customer_client.post(SHIPMENTS_URL, reserve_body([second, trip]), format="json")

    assert response.status_code == 400
    assert Trip.objects.filter(sold_m3__gt=0).count() == 0


@pytest.mark.parametrize(
    ("gap", "accepted"),
    [
        (timedelta(hours=2) - timedelta(seconds=1), False),
        (timedelta(hours=2), True),
        (timedelta(hours=48), True),
        (timedelta(hours=48, seconds=1), False),
    ],
)
def test_the_connection_must_be_two_to_forty_eight_hours(customer_client, trip, gap, accepted):
    second = connecting(trip, gap=gap)
    before = cargo_rows()

    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip, second]), format="json")

    if accepted:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 400
        assert response.json()["error"]["details"] == {
            "legs": [f"Trip {second.id} must leave 2 h to 48 h after trip {trip.id} arrives."]
        }
        assert cargo_rows() == before


@override_settings(CARGO_MIN_CONNECTION=timedelta(minutes=30))
def test_the_minimum_connection_is_a_setting(customer_client, trip):
    second = connecting(trip, gap=timedelta(minutes=45))

    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip, second]), format="json")

    assert response.status_code == 201, response.json()


def test_a_trip_that_has_left_is_refused(customer_client, alice):
    now = timezone.now()
    gone = TripFactory(
        company=alice.company,
        departs_at=now - timedelta(minutes=1),
        arrives_at=now + timedelta(hours=4),
    )

    _refused(customer_client, [gone], [f"Trip {gone.id} is no longer open for booking."])


def test_legs_in_two_currencies_are_refused(customer_client, trip, bob):
    bob.company.currency = "GBP"
    bob.company.save(update_fields=["currency"])
    second = connecting(trip, company=bob.company, currency="GBP")

    _refused(customer_client, [trip, second], ["The legs are sold in different currencies."])


def test_a_malformed_body_is_an_envelope_400(customer_client, trip):
    response = customer_client.post(
        SHIPMENTS_URL, data="{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
