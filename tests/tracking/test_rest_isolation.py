"""Tenant and customer isolation of the tracking REST reads.

The bookings sweep (tests/bookings/test_tenant_isolation.py) covers apps.bookings.api.urls only,
so tracking's endpoints get their own: to bob's staff and another customer alice's booking
track and fleet answer 404 `not_found`; a customer has no fleet; anonymous callers get 401.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from apps.bookings.models import Booking
from tests.accounts.factories import CustomerFactory
from tests.bookings.lifecycle_support import booking_in
from tests.conftest import auth_client_for
from tests.tracking.rest_support import last_position_of, position_at

pytestmark = pytest.mark.django_db

Status = Booking.Status


@pytest.fixture
def tracked(alice):
    """alice's job in progress, with a position and a fleet row."""
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    at = booking.started_at + timedelta(seconds=1)
    position_at(alice, at, lat=45.5, lng=4.5, booking=booking)
    last_position_of(alice, alice.truck, at, lat=45.5, lng=4.5, booking=booking)
    return booking


def strangers(bob) -> dict[str, APIClient]:
    return {
        "bob owner": bob.owner_client,
        "bob dispatcher": bob.dispatcher_client,
        "bob driver": bob.driver_client,
        "another customer": auth_client_for(CustomerFactory()),
    }


def test_another_tenant_or_customer_gets_404_for_the_track(alice, bob, tracked):
    for who, client in strangers(bob).items():
        # When a stranger asks for alice's booking's track
        response = client.get(f"/api/v1/bookings/{tracked.pk}/track/")

        # Then it does not exist for them
        assert response.status_code == 404, who
        assert response.json()["error"]["code"] == "not_found", who


def test_another_tenant_or_a_customer_gets_404_for_the_fleet(alice, bob, tracked):
    clients = strangers(bob) | {"alice's customer": auth_client_for(tracked.customer)}
    for who, client in clients.items():
        # When someone outside alice's staff asks for alice's fleet
        response = client.get(f"/api/v1/companies/{alice.company.pk}/fleet/positions/")

        # Then it does not exist for them
        assert response.status_code == 404, who
        assert response.json()["error"]["code"] == "not_found", who


def test_bobs_fleet_shows_nothing_of_alices_trucks(alice, bob, tracked):
    # When bob's owner reads bob's own fleet
    response = bob.owner_client.get(f"/api/v1/companies/{bob.company.pk}/fleet/positions/")

    # Then alice's truck is not in it
    assert response.status_code == 200
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "path", ["bookings/{booking}/track/", "companies/{company}/fleet/positions/"]
)
def test_anonymous_callers_are_not_authenticated(alice, tracked, path):
    # When nobody signed in asks
    url = "/api/v1/" + path.format(booking=tracked.pk, company=alice.company.pk)
    response = APIClient().get(url)

    # Then 401 in the envelope
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_an_unknown_booking_or_company_is_404(alice):
    # When alice's owner asks for ids that do not exist
    track = alice.owner_client.get("/api/v1/bookings/999999999/track/")
    fleet = alice.owner_client.get("/api/v1/companies/999999999/fleet/positions/")

    # Then both are 404 not_found
    assert (track.status_code, track.json()["error"]["code"]) == (404, "not_found")
    assert (fleet.status_code, fleet.json()["error"]["code"]) == (404, "not_found")
