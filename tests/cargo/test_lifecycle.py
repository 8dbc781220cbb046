"""Trips depart and arrive, shipments follow; customers cancel, carriers deliver; history rows."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from apps.bookings.models import Notification, NotificationDelivery
from apps.cargo.models import Shipment, ShipmentEvent, Trip
from tests.cargo.factories import TripFactory
from tests.cargo.support import SHIPMENTS_URL, TRIPS_URL, cargo_rows, connecting, reserve_body, sold

pytestmark = pytest.mark.django_db


def _reserve(client, legs, volume="1.000", weight="10.000") -> str:
    response = client.post(SHIPMENTS_URL, reserve_body(legs, volume, weight), format="json")
    assert response.status_code == 201, response.json()
    return response.json()["reference"]


def _act(client, trip, action):
    return client.post(f"{TRIPS_URL}{trip.id}/{action}/")


def _history(reference):
    return list(
        ShipmentEvent.objects.filter(shipment__reference=reference)
        .order_by("at", "id")
        .values_list("status", "hub__code")
    )


def test_a_two_leg_shipment_follows_both_trips_to_delivery(customer, customer_client, alice, bob):
    first = TripFactory(company=alice.company)
    second = connecting(first, company=bob.company)
    reference = _reserve(customer_client, [first, second])
    a, b, c = first.origin_hub.code, first.destination_hub.code, second.destination_hub.code

    steps = [
        (lambda: _act(alice.dispatcher_client, first, "depart"), "DEPARTED"),
        (lambda: _act(alice.dispatcher_client, first, "arrive"), "DEPARTED"),
        (lambda: _act(bob.owner_client, second, "depart"), "DEPARTED"),
        (lambda: _act(bob.owner_client, second, "arrive"), "ARRIVED"),
        (lambda: bob.driver_client.post(f"{SHIPMENTS_URL}{reference}/deliver/"), "DELIVERED"),
    ]

    for step, status in steps:
        response = step()
        assert response.status_code == 200, response.json()
        assert Shipment.objects.get(reference=reference).status == status
    assert _history(reference) == [
        ("BOOKED", a),
        ("DEPARTED", a),
        ("DEPARTED", b),  # arrived at the hub to change truck
        ("DEPARTED", b),  # left on the second leg
        ("ARRIVED", c),
        ("DELIVERED", c),
    ]
    detail = customer_client.get(f"{SHIPMENTS_URL}{reference}/").json()
    assert [event["status"] for event in detail["events"]] == [s for s, _ in _history(reference)]
    assert detail["events"][1]["actor"] == alice.dispatcher.id
    kinds = list(
        Notification.objects.filter(user=customer).order_by("id").values_list("kind", flat=True)
    )
    assert kinds == [
        "shipment_booked",
        "shipment_departed",
        "shipment_arrived",
        "shipment_delivered",
    ]
    sms = NotificationDelivery.objects.filter(notification__user=customer, channel="sms")
    assert sms.count() == 3  # departed, arrived, delivered (not the customer's own booking)


def test_cancel_returns_exactly_what_was_reserved(customer_client, alice):
    first = TripFactory(company=alice.company, sold_m3=Decimal("3.000"), sold_kg=Decimal("7"))
    second = connecting(first)
    reference = _reserve(customer_client, [first, second], "1.234", "56.789")
    assert sold(first) == (Decimal("4.234"), Decimal("63.789"))

    response = customer_client.post(f"{SHIPMENTS_URL}{reference}/cancel/")

    assert response.status_code == 200
    assert response.json()["status"] == "CANCELLED"
    assert sold(first) == (Decimal("3.000"), Decimal("7.000"))
    assert sold(second) == (Decimal("0.000"), Decimal("0.000"))
    assert [status for status, _ in _history(reference)] == ["BOOKED", "CANCELLED"]


def test_a_second_cancel_is_refused_and_leaves_no_event(customer_client, alice):
    trip = TripFactory(company=alice.company)
    reference = _reserve(customer_client, [trip])
    customer_client.post(f"{SHIPMENTS_URL}{reference}/cancel/")
    before = cargo_rows()

    again = customer_client.post(f"{SHIPMENTS_URL}{reference}/cancel/")

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    assert cargo_rows() == before


def test_cancel_after_the_departure_time_is_refused(customer_client, alice):
    trip = TripFactory(company=alice.company)
    reference = _reserve(customer_client, [trip])
    Trip.objects.filter(pk=trip.pk).update(
        departs_at=trip.departs_at.replace(year=2020), arrives_at=trip.arrives_at.replace(year=2020)
    )
    before = cargo_rows()

    response = customer_client.post(f"{SHIPMENTS_URL}{reference}/cancel/")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert cargo_rows() == before


# (actor, action) -> status code, from each starting point. Shipment actions by reference.
TRIP_TABLE = [
    # trip status, action, allowed
    ("scheduled", "depart", True),
    ("scheduled", "arrive", False),
    ("scheduled", "cancel", True),
    ("departed", "depart", False),
    ("departed", "arrive", True),
    ("departed", "cancel", False),
    ("arrived", "depart", False),
    ("arrived", "arrive", False),
    ("arrived", "cancel", False),
    ("cancelled", "depart", False),
    ("cancelled", "arrive", False),
    ("cancelled", "cancel", False),
]


@pytest.mark.parametrize(("status", "action", "allowed"), TRIP_TABLE)
def test_trip_transition_table(alice, status, action, allowed):
    trip = TripFactory(company=alice.company, status=status)
    before = cargo_rows()

    response = _act(alice.owner_client, trip, action)

    if allowed:
        assert response.status_code == 200, response.json()
        assert cargo_rows() != before
    else:
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "invalid_transition"
        assert cargo_rows() == before


@pytest.mark.parametrize("action", ["depart", "arrive", "cancel"])
def test_trip_actions_by_role(alice, bob, customer_client, api_client, action):
    trip = TripFactory(
        company=alice.company, status="departed" if action == "arrive" else "scheduled"
    )
    before = cargo_rows()

    answers = [
        _act(alice.driver_client, trip, action).status_code,
        _act(bob.owner_client, trip, action).status_code,
        _act(customer_client, trip, action).status_code,
        _act(api_client, trip, action).status_code,
    ]

    assert answers == [403, 404, 404, 401]
    assert cargo_rows() == before


def test_a_trip_carrying_shipments_cannot_be_cancelled(customer_client, alice):
    trip = TripFactory(company=alice.company)
    _reserve(customer_client, [trip])
    before = cargo_rows()

    response = _act(alice.owner_client, trip, "cancel")

    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["details"]) == (
        "invalid_transition",
        {"from": "scheduled", "to": "cancelled", "shipments": 1},
    )
    assert cargo_rows() == before


SHIPMENT_TABLE = [
    # shipment status, action, allowed (for its customer: cancel; the last carrier: deliver)
    ("BOOKED", "cancel", True),
    ("BOOKED", "deliver", False),
    ("DEPARTED", "cancel", False),
    ("DEPARTED", "deliver", False),
    ("ARRIVED", "cancel", False),
    ("ARRIVED", "deliver", True),
    ("DELIVERED", "cancel", False),
    ("DELIVERED", "deliver", False),
    ("CANCELLED", "cancel", False),
    ("CANCELLED", "deliver", False),
]


@pytest.mark.parametrize(("status", "action", "allowed"), SHIPMENT_TABLE)
def test_shipment_transition_table(customer_client, alice, status, action, allowed):
    trip = TripFactory(company=alice.company)
    reference = _reserve(customer_client, [trip])
    Shipment.objects.filter(reference=reference).update(status=status)
    client = customer_client if action == "cancel" else alice.owner_client
    before = cargo_rows()

    response = client.post(f"{SHIPMENTS_URL}{reference}/{action}/")

    if allowed:
        assert response.status_code == 200, response.json()
        assert len(cargo_rows()["events"]) == len(before["events"]) + 1
    else:
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "invalid_transition"
        assert cargo_rows() == before


def test_shipment_actions_by_role(customer, customer_client, alice, bob):
    first = TripFactory(company=bob.company)
    second = connecting(first, company=alice.company)
    reference = _reserve(customer_client, [first, second])
    Shipment.objects.filter(reference=reference).update(status="ARRIVED")
    before = cargo_rows()

    answers = {
        "customer delivers": customer_client.post(f"{SHIPMENTS_URL}{reference}/deliver/"),
        "first carrier delivers": bob.owner_client.post(f"{SHIPMENTS_URL}{reference}/deliver/"),
        "carrier cancels": alice.owner_client.post(f"{SHIPMENTS_URL}{reference}/cancel/"),
    }

    assert {name: r.status_code for name, r in answers.items()} == {
        "customer delivers": 403,
        "first carrier delivers": 403,
        "carrier cancels": 403,
    }
    assert cargo_rows() == before


def test_shipment_history_is_append_only(customer_client, alice):
    trip = TripFactory(company=alice.company)
    reference = _reserve(customer_client, [trip])
    event = ShipmentEvent.objects.get(shipment__reference=reference)

    for statement in (
        "UPDATE cargo_shipmentevent SET note = 'edited' WHERE id = %s",
        "DELETE FROM cargo_shipmentevent WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.id])

    assert ShipmentEvent.objects.get(pk=event.pk).note == event.note
