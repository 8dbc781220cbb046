"""booking_schedule checks who schedules itself, under the locks (as every lifecycle step does)."""

from __future__ import annotations

import pytest

from apps.bookings.models import Booking
from apps.bookings.schedule_services import booking_schedule
from apps.core.errors import NotFound, PermissionDenied
from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import at, ready, schedule_rows

pytestmark = pytest.mark.django_db


def _schedule(booking: Booking, actor, tenant) -> Booking:
    return booking_schedule(
        booking=booking,
        actor=actor,
        truck_id=tenant.truck.pk,
        driver_ids=[tenant.driver.pk],
        start=at(9),
        end=at(13),
    )


@pytest.mark.parametrize("who", ["driver_user", "customer"])
def test_a_driver_or_the_customer_calling_the_service_is_refused_and_nothing_changes(alice, who):
    team = ready(alice)
    booking = BookingFactory(company=team.company)
    actor = booking.customer if who == "customer" else team.driver_user
    before = schedule_rows()

    with pytest.raises(PermissionDenied):
        _schedule(booking, actor, team)

    assert schedule_rows() == before


def test_another_companys_owner_calling_the_service_gets_not_found_and_nothing_changes(alice, bob):
    team = ready(alice)
    booking = BookingFactory(company=team.company)
    before = schedule_rows()

    with pytest.raises(NotFound):
        _schedule(booking, bob.owner, team)

    assert schedule_rows() == before


def test_the_dispatcher_schedules_through_the_service(alice):
    team = ready(alice)
    booking = BookingFactory(company=team.company)

    scheduled = _schedule(booking, team.dispatcher, team)

    assert (scheduled.status, scheduled.scheduled_start) == ("scheduled", at(9))
