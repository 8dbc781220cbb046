"""GET /companies/{id}/availability/?start=&end=: free trucks and drivers for a window."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from apps.bookings.schedule_services import allocations_release, booking_schedule
from tests.accounts.factories import CustomerFactory
from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import assignable_driver, assignable_truck, at, ready, utc_iso
from tests.companies.factories import TruckFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


def _url(company, start, end) -> str:
    return f"/api/v1/companies/{company.id}/availability/?" + urlencode(
        {"start": start.isoformat(), "end": end.isoformat()}
    )


def _ids(answer: dict) -> tuple[list[int], list[int]]:
    return [t["id"] for t in answer["trucks"]], [d["id"] for d in answer["drivers"]]


@pytest.fixture
def team(alice):
    return ready(alice)


def test_free_trucks_and_drivers_leave_out_the_booked_and_the_unassignable(team):
    spare_truck = assignable_truck(team.company, plate="ZZ-999-ZZ")
    spare_driver = assignable_driver(team.company)
    TruckFactory(company=team.company)  # no registration: never free
    booking = BookingFactory(company=team.company)
    booking_schedule(
        booking=booking,
        actor=team.owner,
        truck_id=team.truck.id,
        driver_ids=[team.driver.id],
        start=at(9),
        end=at(13),
    )

    response = team.dispatcher_client.get(_url(team.company, at(12), at(14)))

    assert response.status_code == 200, response.json()
    answer = response.json()
    assert _ids(answer) == ([spare_truck.id], [spare_driver.id])
    assert answer["trucks"][0] == {
        "id": spare_truck.id,
        "plate": "ZZ-999-ZZ",
        "label": "Box truck",
        "capacity_m3": "30.00",
    }
    assert answer["drivers"][0] == {
        "id": spare_driver.id,
        "name": spare_driver.membership.user.name,
        "licence_number": spare_driver.licence_number,
    }
    assert (answer["start"], answer["end"]) == (
        utc_iso(at(12)).replace("+00:00", "Z"),
        utc_iso(at(14)).replace("+00:00", "Z"),
    )


def test_a_window_touching_a_booking_sees_its_resources_free(team):
    booking = BookingFactory(company=team.company)
    booking_schedule(
        booking=booking,
        actor=team.owner,
        truck_id=team.truck.id,
        driver_ids=[team.driver.id],
        start=at(9),
        end=at(13),
    )

    after = team.owner_client.get(_url(team.company, at(13), at(15))).json()
    before = team.owner_client.get(_url(team.company, at(7), at(9))).json()

    assert _ids(after) == _ids(before) == ([team.truck.id], [team.driver.id])


def test_released_allocations_do_not_block(team):
    booking = BookingFactory(company=team.company)
    booking_schedule(
        booking=booking,
        actor=team.owner,
        truck_id=team.truck.id,
        driver_ids=[team.driver.id],
        start=at(9),
        end=at(13),
    )
    allocations_release(booking=booking, at=timezone.now())

    answer = team.owner_client.get(_url(team.company, at(10), at(11))).json()

    assert _ids(answer) == ([team.truck.id], [team.driver.id])


def test_a_bare_plus_in_the_query_string_is_read_as_the_offset_sign(team):
    start, end = at(9), at(13)  # Paris: +01:00 or +02:00
    query = f"start={start.isoformat()}&end={end.isoformat()}"  # "+" not URL-encoded

    response = team.owner_client.get(f"/api/v1/companies/{team.company.id}/availability/?{query}")

    assert response.status_code == 200, response.json()
    assert _ids(response.json()) == ([team.truck.id], [team.driver.id])


def test_utc_z_times_are_accepted(team):
    query = "start=2099-01-05T08:00:00Z&end=2099-01-05T12:00:00Z"

    response = team.owner_client.get(f"/api/v1/companies/{team.company.id}/availability/?{query}")

    assert response.status_code == 200, response.json()


NAIVE = "Give the time with its UTC offset, e.g. 2030-03-10T09:00:00+01:00."
DATE_RANGE = "Must be between 1900-01-01 and 2999-12-31."


@pytest.mark.parametrize(
    ("query", "details"),
    [
        ("start=2099-01-05T08:00:00&end=2099-01-05T12:00:00Z", {"start": [NAIVE]}),
        ("start=2099-01-05T08:00:00Z&end=2099-01-05T12:00:00", {"end": [NAIVE]}),
        (
            "start=2099-01-05T12:00:00Z&end=2099-01-05T08:00:00Z",
            {"end": ["Must be after start."]},
        ),
        (
            "start=2099-01-05T08:00:00Z&end=2099-01-19T08:00:01Z",
            {"end": ["Must be at most 14 days after start."]},
        ),
        ("end=2099-01-05T08:00:00Z", {"start": ["This field is required."]}),
        ("start=soon&end=2099-01-05T08:00:00Z", "start"),
        (
            "start=9999-12-31T00:00:00Z&end=9999-12-31T23:59:59Z",
            {"start": [DATE_RANGE], "end": [DATE_RANGE]},
        ),
        (
            "start=2999-12-31T20:00:00-14:00&end=2999-12-31T22:00:00-14:00",
            {"start": [DATE_RANGE], "end": [DATE_RANGE]},
        ),
        (
            "start=2099-01-05T08:00:00Z&end=2099-01-05T12:00:00Z&truck=1",
            {"truck": ["Unknown field."]},
        ),
    ],
    ids=[
        "naive start",
        "naive end",
        "reversed",
        "over 14 days",
        "no start",
        "garbage",
        "end of the calendar",
        "past the calendar in UTC",
        "extra",
    ],
)
def test_bad_windows_are_400(team, query, details):
    response = team.owner_client.get(f"/api/v1/companies/{team.company.id}/availability/?{query}")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    if isinstance(details, str):
        assert list(error["details"]) == [details]
    else:
        assert error["details"] == details


def test_exactly_14_days_is_accepted(team):
    query = "start=2099-01-05T08:00:00Z&end=2099-01-19T08:00:00Z"

    response = team.owner_client.get(f"/api/v1/companies/{team.company.id}/availability/?{query}")

    assert response.status_code == 200


def test_drivers_get_403(team):
    response = team.driver_client.get(_url(team.company, at(9), at(13)))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("who", ["owner_client", "dispatcher_client", "driver_client", "customer"])
def test_outsiders_get_404(team, bob, who):
    client = auth_client_for(CustomerFactory()) if who == "customer" else getattr(bob, who)

    response = client.get(_url(team.company, at(9), at(13)))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_another_companys_bookings_do_not_make_ours_busy(team, bob):
    ready(bob)
    booking = BookingFactory(company=bob.company)
    booking_schedule(
        booking=booking,
        actor=bob.owner,
        truck_id=bob.truck.id,
        driver_ids=[bob.driver.id],
        start=at(9),
        end=at(13),
    )

    answer = team.owner_client.get(_url(team.company, at(9), at(13))).json()

    assert _ids(answer) == ([team.truck.id], [team.driver.id])


def test_documents_must_be_valid_through_the_window(team):
    registration = team.truck.documents.get()
    # valid through the "soon" window's local day, expired before the "later" one's
    registration.expires_on = at(9, days=1).date() + timedelta(days=1)
    registration.save(update_fields=["expires_on"])

    soon = team.owner_client.get(_url(team.company, at(9, days=1), at(10, days=1))).json()
    later = team.owner_client.get(_url(team.company, at(9, days=7), at(10, days=7))).json()

    assert _ids(soon)[0] == [team.truck.id]
    assert _ids(later)[0] == []
