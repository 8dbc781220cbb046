"""Trucks: owners and dispatchers manage them; plates are unique per company, case-insensitively."""

from __future__ import annotations

import pytest

from apps.companies.models import Truck
from tests.companies.conftest import db_state
from tests.companies.factories import TruckFactory
from tests.conftest import auth_client_for
from tests.race import race

pytestmark = pytest.mark.django_db

NEW_TRUCK = {
    "plate": "ab-123 cd",
    "label": "Big blue",
    "capacity_m3": "35.5",
    "payload_kg": 3500,
    "home_location": {"lat": 45.75, "lng": 4.85},
}


def trucks_url(company) -> str:
    return f"/api/v1/companies/{company.id}/trucks/"


def test_dispatcher_adds_a_truck_with_a_normalised_plate(alice):
    response = alice.dispatcher_client.post(trucks_url(alice.company), NEW_TRUCK, format="json")

    assert response.status_code == 201
    body = response.json()
    truck = Truck.objects.get(id=body["id"])
    assert body == {
        "id": truck.id,
        "plate": "AB-123 CD",
        "label": "Big blue",
        "capacity_m3": "35.50",
        "payload_kg": 3500,
        "home_location": {"lat": 45.75, "lng": 4.85},
        "status": "active",
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert truck.company == alice.company


def test_truck_list_is_paginated_and_holds_only_this_companys_trucks(alice, bob):
    TruckFactory(company=alice.company, plate="ZZ-999-ZZ")

    response = alice.owner_client.get(trucks_url(alice.company), {"page_size": 1})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["previous"] is None
    assert body["next"].endswith("page=2&page_size=1")
    assert [truck["id"] for truck in body["results"]] == [alice.truck.id]


def test_same_plate_in_another_case_is_a_409_already_exists(alice):
    TruckFactory(company=alice.company, plate="AB-123")
    before = db_state()

    response = alice.dispatcher_client.post(
        trucks_url(alice.company), {**NEW_TRUCK, "plate": "ab-123"}, format="json"
    )

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "already_exists"
    assert error["details"] == {"plate": ["This company already has a truck with plate AB-123."]}
    assert db_state() == before


def test_the_same_plate_may_exist_in_two_companies(alice, bob):
    TruckFactory(company=bob.company, plate="AB-123")

    response = alice.dispatcher_client.post(
        trucks_url(alice.company), {**NEW_TRUCK, "plate": "AB-123"}, format="json"
    )

    assert response.status_code == 201


def test_renaming_a_plate_onto_an_existing_one_is_a_409(alice):
    TruckFactory(company=alice.company, plate="AB-123")
    before = db_state()

    response = alice.dispatcher_client.patch(
        f"{trucks_url(alice.company)}{alice.truck.id}/", {"plate": "Ab-123"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_exists"
    assert db_state() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("capacity_m3", "0"),
        ("capacity_m3", "-3"),
        ("capacity_m3", "200.01"),
        ("capacity_m3", "many"),
        ("payload_kg", 0),
        ("payload_kg", 40_001),
        ("plate", "AB_123!"),
        ("plate", ""),
        ("home_location", {"lat": 45.7, "lng": 190}),
        ("status", "stolen"),
    ],
)
def test_invalid_truck_field_is_a_400_naming_it_and_nothing_is_created(alice, field, value):
    before = db_state()

    response = alice.dispatcher_client.post(
        trucks_url(alice.company), {**NEW_TRUCK, field: value}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert list(response.json()["error"]["details"]) == [field]
    assert db_state() == before


def test_dispatcher_updates_and_retires_a_truck(alice):
    response = alice.dispatcher_client.patch(
        f"{trucks_url(alice.company)}{alice.truck.id}/",
        {"status": "retired", "capacity_m3": 20, "home_location": None},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["capacity_m3"]) == ("retired", "20.00")
    alice.truck.refresh_from_db()
    assert (alice.truck.status, alice.truck.home_location) == ("retired", None)


def test_patch_with_zero_capacity_is_refused_and_nothing_changes(alice):
    before = db_state()

    response = alice.owner_client.patch(
        f"{trucks_url(alice.company)}{alice.truck.id}/", {"capacity_m3": 0}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["capacity_m3"]
    assert db_state() == before


def test_owner_deletes_a_truck(alice):
    response = alice.owner_client.delete(f"{trucks_url(alice.company)}{alice.truck.id}/")

    assert response.status_code == 204
    assert not Truck.objects.filter(id=alice.truck.id).exists()


def test_driver_cannot_list_or_add_trucks(alice):
    before = db_state()

    listing = alice.driver_client.get(trucks_url(alice.company))
    adding = alice.driver_client.post(trucks_url(alice.company), NEW_TRUCK, format="json")

    assert (listing.status_code, adding.status_code) == (403, 403)
    assert adding.json()["error"]["code"] == "permission_denied"
    assert db_state() == before


def test_unknown_truck_id_is_404(alice):
    response = alice.owner_client.get(f"{trucks_url(alice.company)}999999/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_racing_for_one_plate_get_one_truck_and_one_409(alice):
    clients = [alice.dispatcher_client, auth_client_for(alice.owner)]

    def add(client, plate):
        return lambda: client.post(
            trucks_url(alice.company), {**NEW_TRUCK, "plate": plate}, format="json"
        )

    responses = race(
        [add(client, plate) for client, plate in zip(clients, ["race-1", "RACE-1"], strict=True)]
    )
    statuses = [response.status_code for response in responses]

    assert sorted(statuses) == [201, 409]
    assert Truck.objects.filter(company=alice.company, plate="RACE-1").count() == 1
