"""Races for one slot: exactly one scheduler wins, every other one gets slot_taken, never a 5xx.

Real threads released together by a barrier (tests/race.py) against the real database; the
allocation tables' exclusion constraints decide, the service turns their refusal into 409.
"""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework_simplejwt.tokens import RefreshToken

from apps.bookings.models import Booking, BookingEvent, DriverAllocation, TruckAllocation
from apps.bookings.schedule_services import booking_schedule
from apps.core.errors import SlotTaken
from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import (
    assignable_driver,
    assignable_truck,
    at,
    body,
    live_periods,
    ready,
    url,
)
from tests.conftest import auth_client_for
from tests.race import race

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 30


def test_the_test_pool_holds_every_racer_at_once():
    """The constraint must decide these races, not who waits longest for a pooled connection
    (over the pool timeout a request answers 503): movehub/settings/test.py sizes the pool."""
    pool = connection.settings_dict["OPTIONS"].get("pool")
    assert pool is None or pool["max_size"] >= THREADS


def test_thirty_bookings_racing_for_one_truck_and_slot_one_wins(alice):
    team = ready(alice)
    bookings = [BookingFactory(company=team.company) for _ in range(THREADS)]
    drivers = [assignable_driver(team.company) for _ in range(THREADS)]  # only the truck clashes

    results = race(
        [
            lambda booking=booking, driver=driver: booking_schedule(
                booking=booking,
                actor=team.dispatcher,
                truck_id=team.truck.id,
                driver_ids=[driver.id],
                start=at(9),
                end=at(13),
            )
            for booking, driver in zip(bookings, drivers, strict=True)
        ],
        expected=(SlotTaken,),
    )

    winners = [result for result in results if isinstance(result, Booking)]
    losers = [result for result in results if isinstance(result, SlotTaken)]
    assert (len(winners), len(losers)) == (1, THREADS - 1)
    assert {loser.message for loser in losers} == {
        f"Truck {team.truck.plate} is already booked {at(9).date()} 09:00-13:00 (Europe/Paris)."
    }
    assert live_periods(TruckAllocation) == [(team.truck.id, at(9), at(13))]
    assert DriverAllocation.objects.count() == 1  # the losers' driver rows rolled back too
    assert TruckAllocation.objects.get().booking_id == winners[0].id
    assert Booking.objects.filter(status="scheduled").count() == 1
    assert BookingEvent.objects.count() == 1


def test_thirty_bookings_racing_for_one_driver_through_the_api_one_wins(alice):
    team = ready(alice)
    bookings = [BookingFactory(company=team.company) for _ in range(THREADS)]
    trucks = [assignable_truck(team.company) for _ in range(THREADS)]  # only the driver clashes

    responses = race(
        [
            lambda booking=booking, truck=truck: auth_client_for(team.owner).post(
                url(booking), body(truck, [team.driver], at(9), at(13)), format="json"
            )
            for booking, truck in zip(bookings, trucks, strict=True)
        ]
    )

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200] + [409] * (THREADS - 1)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"slot_taken"}
    assert live_periods(DriverAllocation) == [(team.driver.id, at(9), at(13))]
    assert TruckAllocation.objects.count() == 1


ROUNDS = 5


def test_a_reschedule_racing_a_new_schedule_onto_the_same_slot_one_wins(alice):
    team = ready(alice)
    moving = BookingFactory(company=team.company)
    other_driver = assignable_driver(team.company)
    booking_schedule(
        booking=moving,
        actor=team.owner,
        truck_id=team.truck.id,
        driver_ids=[team.driver.id],
        start=at(7),
        end=at(8),
    )

    for day in range(8, 8 + ROUNDS):
        newcomer = BookingFactory(company=team.company)
        results = race(
            [
                lambda day=day: booking_schedule(
                    booking=moving,
                    actor=team.owner,
                    truck_id=team.truck.id,
                    driver_ids=[team.driver.id],
                    start=at(9, days=day),
                    end=at(13, days=day),
                ),
                lambda day=day, newcomer=newcomer: booking_schedule(
                    booking=newcomer,
                    actor=team.owner,
                    truck_id=team.truck.id,
                    driver_ids=[other_driver.id],
                    start=at(9, days=day),
                    end=at(13, days=day),
                ),
            ],
            expected=(SlotTaken,),
        )

        assert sorted(type(result).__name__ for result in results) == ["Booking", "SlotTaken"]
        winner = results[0] if isinstance(results[0], Booking) else results[1]
        slot = [(team.truck.id, at(9, days=day), at(13, days=day))]
        assert live_periods(TruckAllocation, period__overlap=(slot[0][1], slot[0][2])) == slot
        assert (
            TruckAllocation.objects.get(
                released_at__isnull=True, period__overlap=(slot[0][1], slot[0][2])
            ).booking_id
            == winner.id
        )
        # The moving booking holds exactly one live slot whoever won.
        assert len(live_periods(TruckAllocation, booking=moving)) == 1
        assert len(live_periods(DriverAllocation, booking=moving)) == 1


def test_ten_requests_for_one_slot_through_the_real_server_one_200_nine_slot_taken(
    alice, asgi_server
):
    team = ready(alice)
    count = 10
    bookings = [BookingFactory(company=team.company) for _ in range(count)]
    drivers = [assignable_driver(team.company) for _ in range(count)]
    token = str(RefreshToken.for_user(team.owner).access_token)

    def post(booking, driver):
        with asgi_server.client(headers={"Authorization": f"Bearer {token}"}) as client:
            return client.post(url(booking), json=body(team.truck, [driver], at(9), at(13)))

    responses = race(
        [
            lambda booking=booking, driver=driver: post(booking, driver)
            for booking, driver in zip(bookings, drivers, strict=True)
        ]
    )

    assert sorted(response.status_code for response in responses) == [200] + [409] * (count - 1)
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {"slot_taken"}
    assert live_periods(TruckAllocation) == [(team.truck.id, at(9), at(13))]
