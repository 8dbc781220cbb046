"""POST /bookings/{id}/schedule/: scheduling, rescheduling, and who may do it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.bookings.models import Booking, BookingEvent, DriverAllocation, TruckAllocation
from apps.bookings.schedule_services import allocations_release
from tests.accounts.factories import CustomerFactory
from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import (
    assignable_driver,
    assignable_truck,
    at,
    body,
    live_periods,
    ready,
    schedule_rows,
    url,
    utc_iso,
)
from tests.companies.factories import TruckFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(alice):
    return ready(alice)


def test_owner_schedules_a_confirmed_booking(team):
    booking = BookingFactory(company=team.company)
    start, end = at(9), at(13)

    response = team.owner_client.post(
        url(booking), body(team.truck, [team.driver], start, end), format="json"
    )

    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["id"], answer["status"]) == (booking.id, "scheduled")
    booking.refresh_from_db()
    assert (booking.status, booking.scheduled_start, booking.scheduled_end) == (
        Booking.Status.SCHEDULED,
        start,
        end,
    )
    assert live_periods(TruckAllocation, booking=booking) == [(team.truck.id, start, end)]
    assert live_periods(DriverAllocation, booking=booking) == [(team.driver.id, start, end)]
    event = BookingEvent.objects.get(booking=booking)
    assert (event.kind, event.actor_id) == ("scheduled", team.owner.id)
    assert event.data == {
        "from": "confirmed",
        "truck": team.truck.id,
        "drivers": [team.driver.id],
        "start": utc_iso(start),
        "end": utc_iso(end),
    }


def test_dispatcher_schedules_with_two_drivers(team):
    booking = BookingFactory(company=team.company)
    second = assignable_driver(team.company)

    response = team.dispatcher_client.post(
        url(booking), body(team.truck, [team.driver, second], at(9), at(13)), format="json"
    )

    assert response.status_code == 200, response.json()
    assert sorted(
        DriverAllocation.objects.filter(booking=booking).values_list("driver_id", flat=True)
    ) == sorted([team.driver.id, second.id])


@pytest.mark.parametrize("who", ["customer", "driver"])
def test_the_customer_and_drivers_may_not_schedule(team, who):
    booking = BookingFactory(company=team.company)
    client = auth_client_for(booking.customer) if who == "customer" else team.driver_client
    before = schedule_rows()

    response = client.post(
        url(booking), body(team.truck, [team.driver], at(9), at(13)), format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert schedule_rows() == before


@pytest.mark.parametrize("who", ["owner_client", "dispatcher_client", "driver_client", "customer"])
def test_outsiders_get_404_and_nothing_changes(team, bob, who):
    booking = BookingFactory(company=team.company)
    client = auth_client_for(CustomerFactory()) if who == "customer" else getattr(bob, who)
    before = schedule_rows()

    response = client.post(
        url(booking), body(team.truck, [team.driver], at(9), at(13)), format="json"
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert schedule_rows() == before


def test_anonymous_is_401(team, api_client):
    booking = BookingFactory(company=team.company)

    response = api_client.post(
        url(booking), body(team.truck, [team.driver], at(9), at(13)), format="json"
    )

    assert response.status_code == 401


def test_an_unknown_booking_is_404(team):
    response = team.owner_client.post(
        "/api/v1/bookings/999999999/schedule/",
        body(team.truck, [team.driver], at(9), at(13)),
        format="json",
    )

    assert response.status_code == 404


# --- other companies' resources, unassignable ones -------------------------------------------


def _refused(client, booking, payload, *, status: int, code: str) -> dict:
    before = schedule_rows()
    response = client.post(url(booking), payload, format="json")
    assert response.status_code == status, response.json()
    error = response.json()["error"]
    assert error["code"] == code
    assert schedule_rows() == before
    return error


def test_another_companys_truck_is_refused_as_unknown(team, bob):
    ready(bob)
    booking = BookingFactory(company=team.company)

    error = _refused(
        team.owner_client,
        booking,
        body(bob.truck, [team.driver], at(9), at(13)),
        status=400,
        code="invalid",
    )

    assert error["details"] == {"truck": [f"No truck {bob.truck.id} in this company."]}


def test_another_companys_driver_reads_like_an_id_never_used(team, bob):
    ready(bob)
    booking = BookingFactory(company=team.company)
    payload = body(team.truck, [team.driver, bob.driver], at(9), at(13))

    error = _refused(team.owner_client, booking, payload, status=400, code="invalid")
    payload["drivers"] = [team.driver.id, 999999999]
    never_used = _refused(team.owner_client, booking, payload, status=400, code="invalid")

    assert error["details"] == {"drivers": [f"No driver {bob.driver.id} in this company."]}
    assert never_used["details"] == {"drivers": ["No driver 999999999 in this company."]}


def test_a_truck_without_an_approved_registration_is_not_assignable(team):
    booking = BookingFactory(company=team.company)
    bare = TruckFactory(company=team.company, plate="NO-DOC-1")

    error = _refused(
        team.owner_client,
        booking,
        body(bare, [team.driver], at(9), at(13)),
        status=409,
        code="resource_not_assignable",
    )

    assert error["message"].startswith("Truck NO-DOC-1 cannot be assigned")
    assert error["details"] == {"truck": bare.id}


def test_a_truck_in_maintenance_is_not_assignable(team):
    booking = BookingFactory(company=team.company)
    team.truck.status = "maintenance"
    team.truck.save(update_fields=["status"])

    _refused(
        team.owner_client,
        booking,
        body(team.truck, [team.driver], at(9), at(13)),
        status=409,
        code="resource_not_assignable",
    )


def test_a_driver_whose_licence_expires_before_the_job_is_not_assignable(team):
    booking = BookingFactory(company=team.company)
    driver = assignable_driver(team.company)
    licence = driver.documents.get()
    licence.expires_on = timezone.localdate() + timedelta(days=3)
    licence.save(update_fields=["expires_on"])

    error = _refused(
        team.owner_client,
        booking,
        body(team.truck, [team.driver, driver], at(9, days=7), at(13, days=7)),
        status=409,
        code="resource_not_assignable",
    )

    assert error["details"] == {"drivers": [driver.id]}


def test_an_inactive_member_cannot_drive(team):
    booking = BookingFactory(company=team.company)
    team.driver.membership.is_active = False
    team.driver.membership.save(update_fields=["is_active"])

    _refused(
        team.owner_client,
        booking,
        body(team.truck, [team.driver], at(9), at(13)),
        status=409,
        code="resource_not_assignable",
    )


def test_a_truck_too_small_for_the_quoted_volume_is_refused(team):
    booking = BookingFactory(company=team.company)  # 12 m3 quoted
    small = assignable_truck(team.company, plate="SMALL-1", capacity_m3="11.99")

    error = _refused(
        team.owner_client,
        booking,
        body(small, [team.driver], at(9), at(13)),
        status=409,
        code="resource_not_assignable",
    )

    assert error["message"] == "Truck SMALL-1 holds 11.99 m3; this move needs 12.000 m3."


def test_a_truck_exactly_the_quoted_volume_fits(team):
    booking = BookingFactory(company=team.company)
    exact = assignable_truck(team.company, capacity_m3="12.00")

    response = team.owner_client.post(
        url(booking), body(exact, [team.driver], at(9), at(13)), format="json"
    )

    assert response.status_code == 200, response.json()


@pytest.mark.parametrize(
    "status", ["in_progress", "completed", "cancelled"], ids=lambda status: status
)
def test_a_booking_past_scheduling_cannot_be_scheduled(team, status):
    booking = BookingFactory(
        company=team.company,
        status=status,
        scheduled_start=at(9, days=-2),
        scheduled_end=at(13, days=-2),
    )

    error = _refused(
        team.owner_client,
        booking,
        body(team.truck, [team.driver], at(9), at(13)),
        status=409,
        code="invalid_transition",
    )

    assert error["details"] == {"from": status, "to": "scheduled"}


# --- overlaps --------------------------------------------------------------------------------


def _schedule(client, booking, truck, drivers, start, end):
    response = client.post(url(booking), body(truck, drivers, start, end), format="json")
    assert response.status_code == 200, response.json()
    return response


def test_the_same_truck_at_an_overlapping_time_is_slot_taken_naming_the_time(team):
    first, second = BookingFactory(company=team.company), BookingFactory(company=team.company)
    other_driver = assignable_driver(team.company)
    _schedule(team.owner_client, first, team.truck, [team.driver], at(9), at(13))

    error = _refused(
        team.owner_client,
        second,
        body(team.truck, [other_driver], at(12), at(15)),
        status=409,
        code="slot_taken",
    )

    day = at(9).date().isoformat()
    assert error["message"] == (
        f"Truck {team.truck.plate} is already booked {day} 09:00-13:00 (Europe/Paris)."
    )
    assert error["details"] == {
        "resource": "truck",
        "id": team.truck.id,
        "busy_from": utc_iso(at(9)),
        "busy_until": utc_iso(at(13)),
    }


def test_the_same_driver_on_another_truck_at_an_overlapping_time_is_slot_taken(team):
    first, second = BookingFactory(company=team.company), BookingFactory(company=team.company)
    other_truck = assignable_truck(team.company)
    _schedule(team.owner_client, first, team.truck, [team.driver], at(9), at(13))

    error = _refused(
        team.owner_client,
        second,
        body(other_truck, [team.driver], at(8), at(10)),
        status=409,
        code="slot_taken",
    )

    assert error["message"].startswith(f"Driver {team.driver.membership.user.name}")
    assert error["message"].endswith("09:00-13:00 (Europe/Paris).")
    assert error["details"]["resource"] == "driver"


def test_touching_periods_are_allowed(team):
    first, second = BookingFactory(company=team.company), BookingFactory(company=team.company)
    _schedule(team.owner_client, first, team.truck, [team.driver], at(9), at(12))

    _schedule(team.owner_client, second, team.truck, [team.driver], at(12), at(15))

    assert len(live_periods(TruckAllocation, truck=team.truck)) == 2


def test_a_released_allocation_no_longer_blocks(team):
    first, second = BookingFactory(company=team.company), BookingFactory(company=team.company)
    _schedule(team.owner_client, first, team.truck, [team.driver], at(9), at(13))
    assert allocations_release(booking=first, at=timezone.now()) == 2

    _schedule(team.owner_client, second, team.truck, [team.driver], at(9), at(13))

    assert live_periods(TruckAllocation, truck=team.truck) == [(team.truck.id, at(9), at(13))]
    assert TruckAllocation.objects.get(booking=first).released_at is not None


# --- rescheduling ----------------------------------------------------------------------------


def test_a_reschedule_moves_the_allocations_atomically(team):
    booking = BookingFactory(company=team.company)
    other_truck = assignable_truck(team.company)
    _schedule(team.owner_client, booking, team.truck, [team.driver], at(9), at(13))

    _schedule(
        team.owner_client, booking, other_truck, [team.driver], at(14, days=8), at(17, days=8)
    )

    assert live_periods(TruckAllocation, booking=booking) == [
        (other_truck.id, at(14, days=8), at(17, days=8))
    ]
    assert live_periods(DriverAllocation, booking=booking) == [
        (team.driver.id, at(14, days=8), at(17, days=8))
    ]
    released = TruckAllocation.objects.get(booking=booking, truck=team.truck)
    assert released.released_at is not None
    booking.refresh_from_db()
    assert (booking.status, booking.scheduled_start) == ("scheduled", at(14, days=8))
    kinds = list(BookingEvent.objects.filter(booking=booking).values_list("kind", flat=True))
    assert kinds == ["scheduled", "rescheduled"]
    event = BookingEvent.objects.get(booking=booking, kind="rescheduled")
    assert event.data["previous"] == {
        "truck": team.truck.id,
        "drivers": [team.driver.id],
        "start": released.period.lower.isoformat(),
        "end": released.period.upper.isoformat(),
    }
    assert (event.data["from"], event.data["truck"]) == ("scheduled", other_truck.id)


def test_a_reschedule_onto_its_own_slot_or_overlapping_it_works(team):
    booking = BookingFactory(company=team.company)
    _schedule(team.owner_client, booking, team.truck, [team.driver], at(9), at(13))

    _schedule(team.owner_client, booking, team.truck, [team.driver], at(9), at(13))
    _schedule(team.owner_client, booking, team.truck, [team.driver], at(11), at(15))

    assert live_periods(TruckAllocation, booking=booking) == [(team.truck.id, at(11), at(15))]
    assert TruckAllocation.objects.filter(booking=booking).count() == 3


def test_a_refused_reschedule_keeps_the_old_slot(team):
    booking, other = BookingFactory(company=team.company), BookingFactory(company=team.company)
    other_driver = assignable_driver(team.company)
    _schedule(team.owner_client, booking, team.truck, [team.driver], at(9), at(13))
    _schedule(team.owner_client, other, team.truck, [other_driver], at(14), at(18))

    _refused(
        team.owner_client,
        booking,
        body(team.truck, [team.driver], at(13), at(16)),
        status=409,
        code="slot_taken",
    )

    assert live_periods(TruckAllocation, booking=booking) == [(team.truck.id, at(9), at(13))]


def test_scheduling_a_scheduled_booking_again_is_a_reschedule_event_with_what_it_held(team):
    booking = BookingFactory(
        company=team.company, status="scheduled", scheduled_start=at(7), scheduled_end=at(8)
    )

    _schedule(team.owner_client, booking, team.truck, [team.driver], at(9), at(13))

    event = BookingEvent.objects.get(booking=booking)
    assert (event.kind, event.data["previous"]) == (
        "rescheduled",
        {"truck": None, "drivers": [], "start": utc_iso(at(7)), "end": utc_iso(at(8))},
    )
