"""GET /bookings/, /bookings/{id}/, /bookings/{id}/events/: the customer's own, the staff's
company's, nobody else's; the handover code only for the customer."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.bookings.events import booking_event_append
from apps.bookings.models import Booking
from tests.accounts.factories import CustomerFactory
from tests.bookings.factories import BookingFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/bookings/"


@pytest.fixture
def bookings(alice, bob):
    """Two bookings of alice (one scheduled-free confirmed, one cancelled) and one of bob."""
    confirmed = BookingFactory(company=alice.company)
    cancelled = BookingFactory(company=alice.company, status=Booking.Status.CANCELLED)
    bobs = BookingFactory(company=bob.company)
    return confirmed, cancelled, bobs


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_customer_lists_only_their_own_bookings(bookings):
    confirmed, _, bobs = bookings
    customer = confirmed.customer
    mine_elsewhere = BookingFactory(company=bobs.company, move_request__customer=customer)

    ids = _ids(auth_client_for(customer).get(LIST))

    assert ids == [mine_elsewhere.id, confirmed.id]  # newest first


@pytest.mark.parametrize("role", ["owner_client", "dispatcher_client", "driver_client"])
def test_staff_list_their_companys_bookings_only(bookings, alice, role):
    confirmed, cancelled, _ = bookings

    ids = _ids(getattr(alice, role).get(LIST))

    assert ids == [cancelled.id, confirmed.id]


def test_status_filter(bookings, alice):
    confirmed, cancelled, _ = bookings

    assert _ids(alice.owner_client.get(f"{LIST}?status=cancelled")) == [cancelled.id]
    assert _ids(alice.owner_client.get(f"{LIST}?status=confirmed&page_size=1")) == [confirmed.id]
    assert _ids(alice.owner_client.get(f"{LIST}?status=completed")) == []


@pytest.mark.parametrize(
    ("query", "details"),
    [
        ("status=lost", {"status": ['"lost" is not a valid choice.']}),
        ("colour=red", {"colour": ["Unknown field."]}),
    ],
)
def test_bad_list_filters_are_refused(alice, query, details):
    response = alice.owner_client.get(f"{LIST}?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == details


def test_customer_reads_their_booking_with_its_handover_code(bookings):
    confirmed, _, _ = bookings

    data = auth_client_for(confirmed.customer).get(f"{LIST}{confirmed.id}/").json()

    assert data["id"] == confirmed.id
    assert data["handover_code"] == confirmed.handover_code
    assert data["status"] == "confirmed"
    assert data["total"] == f"{confirmed.total:.2f}"
    assert data["origin_address"] == confirmed.move_request.origin_address


@pytest.mark.parametrize("role", ["owner_client", "dispatcher_client", "driver_client"])
def test_staff_read_their_companys_booking_without_the_handover_code(bookings, alice, role):
    confirmed, _, _ = bookings

    response = getattr(alice, role).get(f"{LIST}{confirmed.id}/")
    listed = getattr(alice, role).get(LIST).json()["results"]

    assert response.status_code == 200
    assert response.json()["handover_code"] is None
    assert {item["handover_code"] for item in listed} == {None}


@pytest.mark.parametrize("suffix", ["", "events/"])
def test_other_tenants_and_customers_get_404(bookings, bob, suffix):
    confirmed, _, _ = bookings
    url = f"{LIST}{confirmed.id}/{suffix}"

    for client in (
        bob.owner_client,
        bob.dispatcher_client,
        bob.driver_client,
        auth_client_for(CustomerFactory()),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert APIClient().get(url).status_code == 401
    assert bob.owner_client.get(f"{LIST}{10**9}/{suffix}").status_code == 404


def test_events_are_listed_oldest_first(bookings, alice):
    confirmed, _, _ = bookings
    first = booking_event_append(booking=confirmed, kind="confirmed", actor=confirmed.customer)
    second = booking_event_append(
        booking=confirmed, kind="scheduled", actor=alice.dispatcher, data={"truck": 1}
    )

    for client in (auth_client_for(confirmed.customer), alice.owner_client):
        response = client.get(f"{LIST}{confirmed.id}/events/")
        assert response.status_code == 200
        assert response.json()["count"] == 2
        assert response.json()["results"] == [
            {
                "kind": "confirmed",
                "at": first.at.isoformat().replace("+00:00", "Z"),
                "actor": confirmed.customer.id,
                "data": {},
            },
            {
                "kind": "scheduled",
                "at": second.at.isoformat().replace("+00:00", "Z"),
                "actor": alice.dispatcher.id,
                "data": {"truck": 1},
            },
        ]


def test_anonymous_list_is_401(bookings):
    response = APIClient().get(LIST)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
