"""Fleet page (/dashboard/fleet/): trucks and drivers with their documents; add, edit, retire."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from apps.companies.models import Driver, Membership, Truck
from apps.verification.models import Document
from tests.companies.conftest import db_state
from tests.verification.factories import DocumentFactory

pytestmark = pytest.mark.django_db

FLEET = "/dashboard/fleet/"
NEW_TRUCK = "/dashboard/fleet/trucks/new/"
TRUCK_BODY = {"plate": "ab-123 cd", "label": "Big one", "capacity_m3": "40.5", "payload_kg": "3500"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_trucks_and_drivers_show_whether_they_can_take_jobs_and_their_documents(alice):
    # Given alice's truck with an approved registration, her driver with a rejected licence
    DocumentFactory(
        company=alice.company,
        kind=Document.Kind.TRUCK_REGISTRATION,
        truck=alice.truck,
        approved=True,
    )
    DocumentFactory(
        company=alice.company,
        kind=Document.Kind.DRIVER_LICENCE,
        driver=alice.driver,
        status=Document.Status.REJECTED,
        rejection_reason="The scan is unreadable.",
    )

    response = client_for(alice.dispatcher).get(FLEET)

    assert response.status_code == 200
    (truck,) = response.context["trucks"]
    (driver,) = response.context["drivers"]
    assert (truck.subject, truck.is_assignable, truck.latest.document.status) == (
        alice.truck,
        True,
        "approved",
    )
    assert (driver.subject, driver.is_assignable, driver.latest.document.status) == (
        alice.driver,
        False,
        "rejected",
    )
    html = response.content.decode()
    assert "Reason: The scan is unreadable." in html
    assert "Can take jobs" in html and "Cannot take jobs" in html


def test_a_dispatcher_adds_a_truck_through_the_api_rules(alice):
    response = client_for(alice.dispatcher).post(NEW_TRUCK, TRUCK_BODY)

    assert response.status_code == 302
    assert response["Location"] == FLEET
    truck = Truck.objects.get(company=alice.company, label="Big one")
    assert (truck.plate, truck.capacity_m3, truck.payload_kg, truck.status) == (
        "AB-123 CD",
        Decimal("40.50"),
        3500,
        "active",
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"capacity_m3": "0", "payload_kg": "-1", "plate": "a/b"},
            {
                "plate": ["Letters, digits, spaces and hyphens; at most 16."],
                "capacity_m3": ["Must be greater than 0 and at most 200."],
                "payload_kg": ["Must be between 1 and 40000."],
            },
        ),
        ({"capacity_m3": "lots"}, {"capacity_m3": ["A valid number is required."]}),
        ({"plate": ""}, {"plate": ["This field is required."]}),
    ],
    ids=["out-of-range", "not-a-number", "missing-plate"],
)
def test_bad_truck_input_is_shown_inline_and_changes_nothing(alice, body, errors):
    before = db_state()

    response = client_for(alice.dispatcher).post(NEW_TRUCK, {**TRUCK_BODY, **body})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert db_state() == before


def test_a_plate_the_company_already_has_is_shown_on_the_plate_field(alice):
    before = db_state()

    response = client_for(alice.owner).post(NEW_TRUCK, {**TRUCK_BODY, "plate": alice.truck.plate})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "plate": [f"This company already has a truck with plate {alice.truck.plate}."]
    }
    assert db_state() == before


def test_editing_then_retiring_a_truck(alice):
    client = client_for(alice.dispatcher)
    url = f"/dashboard/fleet/trucks/{alice.truck.id}/"

    edited = client.post(url, {**TRUCK_BODY, "plate": "ZZ-1", "status": "maintenance"})
    retired = client.post(url + "retire/")

    assert edited.status_code == retired.status_code == 302
    alice.truck.refresh_from_db()
    assert (alice.truck.plate, alice.truck.status) == ("ZZ-1", "retired")
    page = client.get(FLEET)
    assert [str(m) for m in page.context["messages"]] == [
        "Truck ZZ-1 saved.",
        "Truck ZZ-1 retired.",
    ]


def test_a_dispatcher_adds_a_driver_who_is_invited(alice):
    response = client_for(alice.dispatcher).post(
        "/dashboard/fleet/drivers/new/",
        {
            "email": "New.Driver@Example.com",
            "name": "Dan",
            "licence_number": "L-42",
            "phone": "+33 6 12 34 56 78",
        },
    )

    assert response.status_code == 302
    driver = Driver.objects.get(company=alice.company, licence_number="L-42")
    assert (driver.phone, driver.membership.role, driver.membership.user.email) == (
        "+33612345678",
        "driver",
        "new.driver@example.com",
    )
    assert not driver.membership.user.has_usable_password()


def test_bad_driver_input_is_shown_inline_and_changes_nothing(alice):
    before = db_state()
    client = client_for(alice.dispatcher)

    added = client.post(
        "/dashboard/fleet/drivers/new/",
        {"email": "not-an-email", "licence_number": alice.driver.licence_number, "phone": "12"},
    )
    edited = client.post(
        f"/dashboard/fleet/drivers/{alice.driver.id}/", {"licence_number": "X", "phone": "12"}
    )

    phone_error = ["Enter a valid phone number in international format, e.g. +33612345678."]
    assert added.context["form"].errors == {
        "email": ["Enter a valid email address."],
        "phone": phone_error,
    }
    assert edited.context["form"].errors == {"phone": phone_error}
    assert db_state() == before


def test_an_owner_retires_a_driver_and_a_dispatcher_may_not(alice):
    url = f"/dashboard/fleet/drivers/{alice.driver.id}/retire/"

    refused = client_for(alice.dispatcher).post(url)
    assert refused.status_code == 403
    assert Membership.objects.get(id=alice.driver.membership_id).is_active is True

    done = client_for(alice.owner).post(url)
    assert done.status_code == 302
    assert Membership.objects.get(id=alice.driver.membership_id).is_active is False


def test_a_driver_gets_the_forbidden_page_and_changes_nothing(alice):
    before = db_state()
    client = client_for(alice.driver_user)

    for response in (client.get(FLEET), client.post(NEW_TRUCK, TRUCK_BODY)):
        assert response.status_code == 403
        assert b"does not open this page" in response.content
    assert db_state() == before


def test_another_companys_truck_and_driver_are_404_and_unchanged(alice, bob):
    before = db_state()
    client = client_for(alice.owner)

    responses = [
        client.get(f"/dashboard/fleet/trucks/{bob.truck.id}/"),
        client.post(f"/dashboard/fleet/trucks/{bob.truck.id}/", TRUCK_BODY),
        client.post(f"/dashboard/fleet/trucks/{bob.truck.id}/retire/"),
        client.get(f"/dashboard/fleet/drivers/{bob.driver.id}/"),
        client.post(f"/dashboard/fleet/drivers/{bob.driver.id}/retire/"),
    ]

    assert [r.status_code for r in responses] == [404] * 5
    assert db_state() == before


def test_retire_actions_are_post_only_and_csrf_protected(alice):
    before = db_state()
    truck_retire = f"/dashboard/fleet/trucks/{alice.truck.id}/retire/"
    driver_retire = f"/dashboard/fleet/drivers/{alice.driver.id}/retire/"
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice.owner)

    assert client_for(alice.owner).get(truck_retire).status_code == 405
    assert client_for(alice.owner).get(driver_retire).status_code == 405
    assert strict.post(truck_retire).status_code == 403
    assert strict.post(NEW_TRUCK, TRUCK_BODY).status_code == 403
    assert db_state() == before
