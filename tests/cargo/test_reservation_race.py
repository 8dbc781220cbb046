"""Reservations racing in real threads on real PostgreSQL: never oversold, never deadlocked."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from apps.cargo.models import Shipment, ShipmentEvent, ShipmentLeg, ShipmentStatus, Trip
from apps.cargo.shipment_services import shipment_cancel, shipment_reserve
from apps.cargo.trip_services import trip_cancel, trip_depart
from apps.core.errors import CapacityExhausted, InvalidTransition
from tests.accounts.factories import CustomerFactory
from tests.cargo.factories import TripFactory
from tests.race import race, race_same

pytestmark = pytest.mark.django_db(transaction=True)

ONE = Decimal("1.000")


def _sold_by_live_shipments(trip: Trip) -> Decimal:
    live = ShipmentLeg.objects.filter(trip=trip).exclude(shipment__status=ShipmentStatus.CANCELLED)
    return live.aggregate(total=Sum("shipment__volume_m3"))["total"] or Decimal("0")


def test_forty_clients_for_ten_cubic_metres_exactly_ten_win(alice):
    trip = TripFactory(company=alice.company, capacity_m3=Decimal("10.000"))
    customers = [CustomerFactory() for _ in range(40)]

    def reserve_for(customer):
        return lambda: shipment_reserve(
            customer=customer, trip_ids=[trip.id], volume_m3=ONE, weight_kg=Decimal("5")
        )

    results = race([reserve_for(customer) for customer in customers], expected=(CapacityExhausted,))

    won = [result for result in results if isinstance(result, Shipment)]
    lost = [result for result in results if isinstance(result, CapacityExhausted)]
    assert (len(won), len(lost)) == (10, 30)
    assert {error.details["trip"] for error in lost} == {trip.id}
    trip.refresh_from_db()
    assert (trip.sold_m3, trip.sold_kg) == (Decimal("10.000"), Decimal("50.000"))
    assert Shipment.objects.count() == 10
    assert ShipmentEvent.objects.count() == 10
    assert len({shipment.reference for shipment in won}) == 10


def test_the_weight_limit_holds_under_a_race(alice):
    trip = TripFactory(company=alice.company, capacity_kg=Decimal("100.000"))
    customer = CustomerFactory()

    results = race_same(
        12,
        lambda: shipment_reserve(
            customer=customer, trip_ids=[trip.id], volume_m3=Decimal("0.1"), weight_kg=Decimal("30")
        ),
        expected=(CapacityExhausted,),
    )

    assert sum(isinstance(result, Shipment) for result in results) == 3
    trip.refresh_from_db()
    assert (trip.sold_m3, trip.sold_kg) == (Decimal("0.300"), Decimal("90.000"))


def test_opposite_order_itineraries_and_cancellations_never_deadlock(alice, bob):
    # The second leg is created first, so the itinerary order (leg 1, leg 2) is the opposite of
    # the trip-id order; single-leg bookings and cancellations of two-leg ones race with them.
    second = TripFactory(company=bob.company)
    first = TripFactory(
        company=alice.company,
        destination_hub=second.origin_hub,
        departs_at=second.departs_at - timedelta(hours=9),
        arrives_at=second.departs_at - timedelta(hours=3),
    )
    assert first.id > second.id
    customers = [CustomerFactory() for _ in range(6)]
    booked = [
        shipment_reserve(customer=c, trip_ids=[first.id, second.id], volume_m3=ONE, weight_kg=ONE)
        for c in customers
    ]
    buyer = CustomerFactory()

    def both_legs():
        return shipment_reserve(
            customer=buyer, trip_ids=[first.id, second.id], volume_m3=ONE, weight_kg=ONE
        )

    def one_leg(trip):
        return lambda: shipment_reserve(
            customer=buyer, trip_ids=[trip.id], volume_m3=ONE, weight_kg=ONE
        )

    def cancel(shipment):
        return lambda: shipment_cancel(actor=shipment.customer, reference=shipment.reference)

    actions = (
        [both_legs] * 14
        + [one_leg(first)] * 5
        + [one_leg(second)] * 5
        + [cancel(shipment) for shipment in booked]
    )

    results = race(actions, expected=(CapacityExhausted,))

    cancelled = results[-len(booked) :]
    assert [shipment.status for shipment in cancelled] == ["CANCELLED"] * len(booked)
    for trip in (first, second):
        trip.refresh_from_db()
        assert trip.sold_m3 <= trip.capacity_m3
        assert trip.sold_m3 == _sold_by_live_shipments(trip)
    # The 14 two-leg buyers were served while both legs had room, whatever the order.
    two_leg = [result for result in results[:14] if isinstance(result, Shipment)]
    assert len(two_leg) >= 4  # 4 m3 were free on both legs before any cancellation


def test_a_departure_racing_reservations_leaves_no_shipment_behind(alice):
    trip = TripFactory(company=alice.company)
    owner, customer = alice.owner, CustomerFactory()

    def reserve():
        return shipment_reserve(customer=customer, trip_ids=[trip.id], volume_m3=ONE, weight_kg=ONE)

    actions = [reserve] * 8 + [lambda: trip_depart(actor=owner, trip_id=trip.id)]

    results = race(actions, expected=(CapacityExhausted,))

    trip.refresh_from_db()
    assert trip.status == "departed"
    won = [result for result in results[:8] if isinstance(result, Shipment)]
    # Booked before the departure: it left with the trip. After it: refused, nothing sold.
    statuses = set(Shipment.objects.values_list("status", flat=True))
    assert statuses <= {"DEPARTED"}
    assert trip.sold_m3 == Decimal(len(won)) == _sold_by_live_shipments(trip)


def test_a_trip_cancellation_racing_reservations_strands_no_shipment(alice):
    trip = TripFactory(company=alice.company)
    owner, customer = alice.owner, CustomerFactory()

    def reserve():
        return shipment_reserve(customer=customer, trip_ids=[trip.id], volume_m3=ONE, weight_kg=ONE)

    actions = [reserve] * 8 + [lambda: trip_cancel(actor=owner, trip_id=trip.id)]

    results = race(actions, expected=(CapacityExhausted, InvalidTransition))

    trip.refresh_from_db()
    won = [result for result in results[:8] if isinstance(result, Shipment)]
    if trip.status == "cancelled":
        assert won == []
        assert trip.sold_m3 == Decimal("0.000")
    else:
        assert isinstance(results[-1], InvalidTransition)
        assert trip.sold_m3 == Decimal(len(won)) > 0
