"""POST/GET /cargo/trips/, GET /cargo/hubs/: publishing holds the truck; who sees which trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.bookings.models import TruckAllocation
from apps.cargo.models import Trip
from apps.companies.models import Company, Truck
from tests.cargo.factories import HubFactory, TripFactory
from tests.cargo.support import TRIPS_URL, cargo_rows, in_days, publish_body
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


def test_owner_publishes_a_trip_that_holds_the_truck(carrier, hubs):
    body = publish_body(carrier.truck)

    response = carrier.owner_client.post(TRIPS_URL, body, format="json")

    assert response.status_code == 201, response.json()
    answer = response.json()
    trip = Trip.objects.get()
    assert answer == {
        "id": trip.id,
        "company": carrier.company.id,
        "truck": carrier.truck.id,
        "origin_hub": "BER",
        "destination_hub": "LEJ",
        "departs_at": in_days(3, 8).isoformat().replace("+00:00", "Z"),
        "arrives_at": in_days(3, 14).isoformat().replace("+00:00", "Z"),
        "departs_on_local": in_days(3, 8).date().isoformat(),
        "capacity_m3": "10.000",
        "capacity_kg": "1000.000",
        "sold_m3": "0.000",
        "sold_kg": "0.000",
        "remaining_m3": "10.000",
        "remaining_kg": "1000.000",
        "price_per_m3": "40.00",
        "min_charge": "25.00",
        "currency": "EUR",
        "status": "scheduled",
        "departed_at": None,
        "arrived_at": None,
    }
    allocation = TruckAllocation.objects.get()
    assert (allocation.purpose, allocation.truck_id, allocation.booking_id) == (
        "trip",
        carrier.truck.id,
        None,
    )
    assert (allocation.period.lower, allocation.period.upper) == (in_days(3, 8), in_days(3, 14))
    assert trip.allocation_id == allocation.id


def test_departs_on_local_is_the_origin_hubs_date(carrier, hubs):
    # 03:00 UTC is 19:00 or 20:00 the day before in Los Angeles.
    departs = in_days(4, 3)
    body = publish_body(
        carrier.truck,
        origin="LAX",
        departs_at=departs.isoformat(),
        arrives_at=(departs + dt.timedelta(hours=9)).isoformat(),
    )

    response = carrier.dispatcher_client.post(TRIPS_URL, body, format="json")

    assert response.status_code == 201, response.json()
    assert (
        response.json()["departs_on_local"] == (departs.date() - dt.timedelta(days=1)).isoformat()
    )


def test_an_unverified_company_cannot_publish(carrier, hubs):
    Company.objects.filter(pk=carrier.company.pk).update(
        verification_status=Company.VerificationStatus.PENDING
    )
    before = cargo_rows()

    response = carrier.owner_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "company_not_verified"
    assert cargo_rows() == before


def test_a_truck_without_registration_is_not_assignable(alice, hubs):
    before = cargo_rows()

    response = alice.owner_client.post(TRIPS_URL, publish_body(alice.truck), format="json")

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "resource_not_assignable",
        "message": response.json()["error"]["message"],
        "details": {"truck": alice.truck.id},
    }
    assert cargo_rows() == before


def test_an_inactive_truck_is_not_assignable(carrier, hubs):
    Truck.objects.filter(pk=carrier.truck.pk).update(status=Truck.Status.RETIRED)

    response = carrier.owner_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "resource_not_assignable"
    assert Trip.objects.count() == 0


def test_two_trips_on_one_truck_at_once_are_refused(carrier, hubs):
    first = carrier.owner_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")
    assert first.status_code == 201
    before = cargo_rows()
    overlapping = publish_body(
        carrier.truck,
        origin="LEJ",
        destination="MUC",
        departs_at=in_days(3, 13).isoformat(),
        arrives_at=in_days(3, 18).isoformat(),
    )

    response = carrier.owner_client.post(TRIPS_URL, overlapping, format="json")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "slot_taken"
    assert error["details"]["resource"] == "truck"
    assert error["details"]["id"] == carrier.truck.id
    assert cargo_rows() == before


def test_back_to_back_trips_on_one_truck_are_fine(carrier, hubs):
    first = carrier.owner_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")
    follow = publish_body(
        carrier.truck,
        origin="LEJ",
        destination="MUC",
        departs_at=in_days(3, 14).isoformat(),
        arrives_at=in_days(3, 19).isoformat(),
    )

    second = carrier.owner_client.post(TRIPS_URL, follow, format="json")

    assert (first.status_code, second.status_code) == (201, 201)
    assert TruckAllocation.objects.filter(released_at__isnull=True).count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"origin_hub": "XXX"}, "origin_hub"),
        ({"destination_hub": "BER"}, "destination_hub"),
        ({"origin_hub": "ber"}, "origin_hub"),
        ({"departs_at": "2020-01-01T08:00:00+00:00"}, "departs_at"),
        ({"departs_at": "2030-01-01T08:00:00"}, "departs_at"),
        ({"arrives_at": "2020-01-01T08:00:00+00:00"}, "arrives_at"),
        ({"capacity_m3": "0"}, "capacity_m3"),
        ({"capacity_m3": "30.001"}, "capacity_m3"),
        ({"capacity_kg": "40000.001"}, "capacity_kg"),
        ({"price_per_m3": "-1"}, "price_per_m3"),
        ({"price_per_m3": "100000.01"}, "price_per_m3"),
        ({"truck": 0}, "truck"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_trip_input_is_refused(carrier, hubs, overrides, field):
    before = cargo_rows()

    response = carrier.owner_client.post(
        TRIPS_URL, publish_body(carrier.truck, **overrides), format="json"
    )

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert (error["code"], list(error["details"])) == ("invalid", [field])
    assert cargo_rows() == before


def test_an_inactive_hub_is_refused(carrier, hubs):
    HubFactory(code="OLD", is_active=False)

    response = carrier.owner_client.post(
        TRIPS_URL, publish_body(carrier.truck, destination="OLD"), format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"destination_hub": ["No active hub OLD."]}


def test_another_companys_truck_reads_as_unknown(carrier, bob, hubs):
    response = carrier.owner_client.post(TRIPS_URL, publish_body(bob.truck), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "truck": [f"No truck {bob.truck.id} in your company."]
    }
    assert Trip.objects.count() == 0


@pytest.mark.parametrize("who", ["driver", "customer"])
def test_only_owners_and_dispatchers_publish(carrier, hubs, customer, who):
    client = carrier.driver_client if who == "driver" else auth_client_for(customer)

    response = client.post(TRIPS_URL, publish_body(carrier.truck), format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert Trip.objects.count() == 0


def test_anonymous_cannot_publish(api_client, carrier, hubs):
    response = api_client.post(TRIPS_URL, publish_body(carrier.truck), format="json")

    assert response.status_code == 401
    assert Trip.objects.count() == 0


def test_hubs_are_public_and_only_the_active_ones(api_client, hubs):
    HubFactory(code="OLD", is_active=False)

    response = api_client.get("/api/v1/cargo/hubs/")

    assert response.status_code == 200
    answer = response.json()
    assert answer["count"] == 4
    assert [hub["code"] for hub in answer["results"]] == ["BER", "LAX", "LEJ", "MUC"]
    assert answer["results"][0] == {
        "code": "BER",
        "name": "Berlin",
        "location": {"lat": 52.52, "lng": 13.4},
        "timezone": "Europe/Berlin",
    }


def test_staff_list_their_companys_trips_only(alice, bob):
    mine = TripFactory(company=alice.company)
    TripFactory(company=bob.company)

    response = alice.driver_client.get(TRIPS_URL)

    assert response.status_code == 200
    assert [trip["id"] for trip in response.json()["results"]] == [mine.id]
    assert response.json()["count"] == 1


def test_a_customer_lists_no_trips(customer_client, alice):
    TripFactory(company=alice.company)

    response = customer_client.get(TRIPS_URL)

    assert (response.status_code, response.json()["count"]) == (200, 0)


def test_a_verified_companys_trip_is_public_without_its_truck(api_client, alice):
    trip = TripFactory(company=alice.company)

    public = api_client.get(f"{TRIPS_URL}{trip.id}/")
    staff = alice.driver_client.get(f"{TRIPS_URL}{trip.id}/")

    assert public.status_code == 200
    assert "truck" not in public.json()
    assert public.json()["remaining_m3"] == "10.000"
    assert staff.json()["truck"] == trip.truck_id


def test_an_unverified_companys_trip_is_only_its_staffs(api_client, alice, bob):
    trip = TripFactory(company=alice.company)
    Company.objects.filter(pk=alice.company.pk).update(
        verification_status=Company.VerificationStatus.SUSPENDED
    )

    assert api_client.get(f"{TRIPS_URL}{trip.id}/").status_code == 404
    assert bob.owner_client.get(f"{TRIPS_URL}{trip.id}/").status_code == 404
    assert alice.owner_client.get(f"{TRIPS_URL}{trip.id}/").status_code == 200
    assert api_client.get(f"{TRIPS_URL}999999/").json()["error"]["code"] == "not_found"


def test_trip_capacity_checks_hold_in_the_database(alice):
    trip = TripFactory(company=alice.company)

    with pytest.raises(Exception, match="cargo_trip_sold_m3_within_capacity"):
        Trip.objects.filter(pk=trip.pk).update(sold_m3=Decimal("10.001"))


def test_the_price_cap_holds_in_the_database(alice):
    trip = TripFactory(company=alice.company)

    with pytest.raises(Exception, match="cargo_trip_price_per_m3_capped"):
        Trip.objects.filter(pk=trip.pk).update(price_per_m3=Decimal("100000.01"))


def test_min_charge_is_optional(carrier, hubs):
    body = publish_body(carrier.truck)
    del body["min_charge"]

    response = carrier.owner_client.post(TRIPS_URL, body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["min_charge"] == "0.00"
