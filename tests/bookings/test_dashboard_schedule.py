"""The staff Schedule page: a week per truck in the company's days, moves and trips."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from apps.bookings.models import Booking, TruckAllocation
from apps.bookings.models.allocations import Purpose
from apps.bookings.week_selectors import week_grid
from apps.companies.models import Truck
from tests.bookings.dashboard_support import client_for
from tests.bookings.lifecycle_support import booking_in
from tests.bookings.scheduling import PARIS
from tests.companies.factories import TruckFactory

pytestmark = pytest.mark.django_db

SCHEDULE = "/dashboard/schedule/"
Status = Booking.Status


def paris(day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2031, month, day, hour, tzinfo=PARIS)


def trip(company, truck, start, end) -> TruckAllocation:
    return TruckAllocation.objects.create(
        company=company, truck=truck, purpose=Purpose.TRIP, period=DateTimeTZRange(start, end)
    )


def cells(week, truck) -> list[list[int]]:
    row = next(row for row in week.rows if row.truck == truck)
    return [[slot.allocation.id for slot in day] for day in row.days]


def test_the_week_has_a_row_per_truck_and_a_cell_per_local_day(alice, bob):
    # Given (week of Monday 2031-03-10, Paris) a move on Tuesday, a trip over Thursday's
    # midnight on a second truck, a released move, and bob's move at the same time
    second = TruckFactory(company=alice.company, plate="ZZ-999-ZZ")
    move = booking_in(Status.SCHEDULED, company=alice, start=paris(11, 9))
    trip_row = trip(alice.company, second, paris(13, 20), paris(14, 6))
    booking_in(Status.CANCELLED, company=alice, start=paris(12, 9))
    booking_in(Status.SCHEDULED, company=bob, start=paris(11, 9))
    move_row = TruckAllocation.objects.get(booking=move)

    # When the week is read from any of its days
    week = week_grid(company=alice.company, day=date(2031, 3, 15))

    # Then
    assert week.monday == date(2031, 3, 10)
    assert (week.previous, week.next) == (date(2031, 3, 3), date(2031, 3, 17))
    assert [row.truck for row in week.rows] == sorted([alice.truck, second], key=lambda t: t.plate)
    assert cells(week, alice.truck) == [[], [move_row.id], [], [], [], [], []]
    assert cells(week, second) == [[], [], [], [trip_row.id], [trip_row.id], [], []]


def test_days_are_the_companys_local_days(alice):
    # 23:30 UTC on Monday is 00:30 on Tuesday in Paris
    allocation = trip(
        alice.company,
        alice.truck,
        datetime.fromisoformat("2031-03-10T23:30:00+00:00"),
        datetime.fromisoformat("2031-03-11T02:00:00+00:00"),
    )

    week = week_grid(company=alice.company, day=date(2031, 3, 10))

    assert cells(week, alice.truck) == [[], [allocation.id], [], [], [], [], []]


def test_a_retired_truck_shows_only_while_it_holds_an_allocation(alice):
    retired = TruckFactory(company=alice.company, status=Truck.Status.RETIRED)

    empty = week_grid(company=alice.company, day=date(2031, 3, 10))
    trip(alice.company, retired, paris(12, 8), paris(12, 12))
    busy = week_grid(company=alice.company, day=date(2031, 3, 10))

    assert retired not in [row.truck for row in empty.rows]
    assert retired in [row.truck for row in busy.rows]


def test_the_page_links_moves_to_their_booking_and_labels_trips(alice):
    move = booking_in(Status.SCHEDULED, company=alice, start=paris(11, 9))
    trip(alice.company, alice.truck, paris(13, 8), paris(13, 18))

    response = client_for(alice.dispatcher).get(SCHEDULE, {"week": "2031-03-12"})

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="/dashboard/bookings/{move.id}/">Booking #{move.id}</a>' in html
    assert '<span class="time">09:00\u201313:00</span>' in html
    assert '<span class="time">08:00\u201318:00</span>' in html and ">Trip<" in html
    assert 'href="?week=2031-03-03"' in html and 'href="?week=2031-03-17"' in html


def test_an_invalid_week_shows_the_error_and_this_week(alice):
    response = client_for(alice.owner).get(SCHEDULE, {"week": "next tuesday"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"week": ["Enter a valid date."]}
    assert response.context["week"].monday.weekday() == 0
