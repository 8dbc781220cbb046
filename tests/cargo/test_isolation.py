"""Who sees a shipment and a trip's shipments: its customer and its carriers' staff; else 404."""

from __future__ import annotations

import pytest

from tests.accounts.factories import CustomerFactory
from tests.cargo.factories import TripFactory
from tests.cargo.support import SHIPMENTS_URL, TRIPS_URL, reserve_body
from tests.companies.factories import CompanyFactory, MembershipFactory
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(customer_client, alice):
    trip = TripFactory(company=alice.company)
    response = customer_client.post(SHIPMENTS_URL, reserve_body([trip], "1.5"), format="json")
    assert response.status_code == 201
    return trip, response.json()["reference"]


def test_the_customer_and_the_carriers_staff_read_a_shipment(customer_client, alice, booked):
    _, reference = booked

    mine = customer_client.get(f"{SHIPMENTS_URL}{reference}/")
    lower = customer_client.get(f"{SHIPMENTS_URL}{reference.lower()}/")
    carrier = alice.driver_client.get(f"{SHIPMENTS_URL}{reference}/")

    assert (mine.status_code, lower.status_code, carrier.status_code) == (200, 200, 200)
    assert mine.json() == carrier.json() == lower.json()


def test_other_companies_and_customers_get_404(bob, booked, api_client):
    _, reference = booked
    stranger = auth_client_for(CustomerFactory())

    answers = [
        bob.owner_client.get(f"{SHIPMENTS_URL}{reference}/"),
        stranger.get(f"{SHIPMENTS_URL}{reference}/"),
        stranger.post(f"{SHIPMENTS_URL}{reference}/cancel/"),
        bob.owner_client.post(f"{SHIPMENTS_URL}{reference}/deliver/"),
    ]

    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]
    assert {answer.json()["error"]["code"] for answer in answers} == {"not_found"}
    assert api_client.get(f"{SHIPMENTS_URL}{reference}/").status_code == 401


def test_an_inactive_member_no_longer_sees_the_shipment(alice, booked):
    _, reference = booked
    membership = alice.dispatcher.memberships.get()
    membership.is_active = False
    membership.save(update_fields=["is_active"])

    response = alice.dispatcher_client.get(f"{SHIPMENTS_URL}{reference}/")

    assert response.status_code == 404


def test_customers_list_their_own_shipments_only(customer_client, alice, booked):
    _, reference = booked
    other = auth_client_for(CustomerFactory())
    other.post(SHIPMENTS_URL, reserve_body([booked[0]]), format="json")

    mine = customer_client.get(SHIPMENTS_URL).json()

    assert (mine["count"], [row["reference"] for row in mine["results"]]) == (1, [reference])
    assert other.get(SHIPMENTS_URL).json()["count"] == 1
    assert alice.owner_client.get(SHIPMENTS_URL).json()["count"] == 0


def test_staff_see_what_each_shipment_takes_on_their_trip(alice, bob, booked):
    trip, reference = booked

    response = alice.driver_client.get(f"{TRIPS_URL}{trip.id}/shipments/")
    trip_detail = alice.driver_client.get(f"{TRIPS_URL}{trip.id}/").json()

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [(r["reference"], r["status"], r["leg"], r["volume_m3"]) for r in rows] == [
        (reference, "BOOKED", 1, "1.500")
    ]
    assert (trip_detail["sold_m3"], trip_detail["remaining_m3"]) == ("1.500", "8.500")
    assert bob.owner_client.get(f"{TRIPS_URL}{trip.id}/shipments/").status_code == 404


def test_a_member_of_both_companies_sees_each_companys_trips(alice, bob):
    TripFactory(company=alice.company)
    TripFactory(company=bob.company)
    TripFactory(company=CompanyFactory())
    both = MembershipFactory(company=alice.company).user
    MembershipFactory(company=bob.company, user=both)

    response = auth_client_for(both).get(TRIPS_URL)

    assert response.json()["count"] == 2
