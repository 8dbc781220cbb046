"""The staff Shared loads pages: the trips list, publishing from the page, a trip and its moves."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from apps.bookings.models import TruckAllocation
from apps.bookings.schedule_services import booking_schedule
from apps.cargo.models import Shipment, ShipmentEvent, Trip
from apps.cargo.shipment_services import shipment_reserve
from apps.companies.models import Company
from tests.bookings.dashboard_support import client_for, local
from tests.bookings.factories import BookingFactory
from tests.bookings.scheduling import at
from tests.cargo.factories import TripFactory
from tests.cargo.support import cargo_rows

pytestmark = pytest.mark.django_db

TRIPS = "/dashboard/trips/"
PUBLISH = "/dashboard/trips/publish/"


def detail(trip: Trip) -> str:
    return f"/dashboard/trips/{trip.id}/"


def action(trip: Trip, name: str) -> str:
    return f"/dashboard/trips/{trip.id}/{name}/"


def publish_form(truck, **overrides) -> dict:
    form = {
        "truck": truck.id,
        "origin_hub": "BER",
        "destination_hub": "LEJ",
        "departs_at": local(at(8)),
        "arrives_at": local(at(14)),
        "capacity_m3": "10",
        "capacity_kg": "1000",
        "price_per_m3": "40.00",
        "min_charge": "25.00",
    }
    form.update(overrides)
    return form


def book(trip: Trip, customer, volume: str = "1.5", weight: str = "80") -> Shipment:
    return shipment_reserve(
        customer=customer,
        trip_ids=[trip.id],
        volume_m3=Decimal(volume),
        weight_kg=Decimal(weight),
    )


# --- the list -----------------------------------------------------------------------------


def test_the_list_shows_the_companys_trips_upcoming_first_with_the_space_left(
    carrier, hubs, customer, bob
):
    # Given alice's trips: two upcoming (the later one created first), one past; and bob's
    later = TripFactory(
        company=carrier.company,
        origin_hub=hubs.ber,
        destination_hub=hubs.lej,
        departs_at=at(8, days=9),
    )
    sooner = TripFactory(
        company=carrier.company,
        origin_hub=hubs.ber,
        destination_hub=hubs.lej,
        departs_at=at(8, days=2),
    )
    past = TripFactory(
        company=carrier.company,
        origin_hub=hubs.lej,
        destination_hub=hubs.ber,
        departs_at=timezone.now() - timedelta(days=3),
    )
    TripFactory(company=bob.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    book(sooner, customer, volume="2.5", weight="100")

    # When alice's dispatcher opens the list
    response = client_for(carrier.dispatcher).get(TRIPS)

    # Then alice's three trips are listed, upcoming soonest first then the past one, with use
    assert response.status_code == 200
    assert [trip.id for trip in response.context["page"].object_list] == [
        sooner.id,
        later.id,
        past.id,
    ]
    shown = response.context["page"].object_list[0]
    assert (shown.remaining_m3, shown.remaining_kg, shown.used_m3_percent) == (
        Decimal("7.500"),
        Decimal("900.000"),
        Decimal("25.0"),
    )
    html = response.content.decode()
    assert "2.500 of 10.000 m³ sold (25 %), <strong>7.500 m³ left</strong>" in html
    assert "100.000 of 1000.000 kg sold (10 %), <strong>900.000 kg left</strong>" in html
    assert "40.00 EUR" in html


def test_the_status_filter_narrows_the_list_and_a_bad_value_does_not(carrier, hubs):
    scheduled = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    cancelled = TripFactory(
        company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej, status="cancelled"
    )
    client = client_for(carrier.owner)

    narrowed = client.get(TRIPS, {"status": "cancelled"})
    ignored = client.get(TRIPS, {"status": "lost"})

    assert [t.id for t in narrowed.context["page"].object_list] == [cancelled.id]
    assert sorted(t.id for t in ignored.context["page"].object_list) == sorted(
        [scheduled.id, cancelled.id]
    )
    assert ignored.context["filters"].errors["status"] == [
        "Select a valid choice. lost is not one of the available choices."
    ]


def test_a_driver_gets_the_403_page_on_every_shared_loads_page(carrier, hubs):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    client = client_for(carrier.driver_user)
    before = cargo_rows()

    answers = [
        client.get(TRIPS).status_code,
        client.get(detail(trip)).status_code,
        client.post(PUBLISH, publish_form(carrier.truck)).status_code,
        client.post(action(trip, "depart")).status_code,
        client.post(action(trip, "cancel")).status_code,
    ]

    assert answers == [403, 403, 403, 403, 403]
    assert cargo_rows() == before


# --- publishing -----------------------------------------------------------------------------


def test_a_dispatcher_publishes_a_trip_in_the_companys_local_time(carrier, hubs):
    client = client_for(carrier.dispatcher)

    response = client.post(PUBLISH, publish_form(carrier.truck))

    assert response.status_code == 302
    assert response["Location"] == TRIPS
    trip = Trip.objects.get()
    assert (trip.company_id, trip.truck_id, trip.origin_hub.code, trip.destination_hub.code) == (
        carrier.company.id,
        carrier.truck.id,
        "BER",
        "LEJ",
    )
    # 08:00 and 14:00 on the page are Paris times (the company's zone)
    assert (trip.departs_at, trip.arrives_at) == (at(8), at(14))
    assert (trip.capacity_m3, trip.capacity_kg, trip.price_per_m3, trip.min_charge) == (
        Decimal("10.000"),
        Decimal("1000.000"),
        Decimal("40.00"),
        Decimal("25.00"),
    )
    allocation = TruckAllocation.objects.get(pk=trip.allocation_id)
    assert (allocation.purpose, allocation.truck_id) == ("trip", carrier.truck.id)
    followed = client.get(response["Location"])
    assert [str(m) for m in followed.context["messages"]] == [
        f"Trip #{trip.id} BER → LEJ published."
    ]


def test_a_truck_already_on_a_move_is_refused_inline_and_nothing_is_stored(carrier, hubs):
    # Given alice's truck scheduled for a move 09:00-13:00
    booking_schedule(
        booking=BookingFactory(company=carrier.company),
        actor=carrier.dispatcher,
        truck_id=carrier.truck.id,
        driver_ids=[carrier.driver.id],
        start=at(9),
        end=at(13),
    )
    before = cargo_rows()

    # When the dispatcher publishes a trip on that truck 08:00-14:00
    response = client_for(carrier.dispatcher).post(PUBLISH, publish_form(carrier.truck))

    # Then the clash is on the form and nothing was stored
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        f"Truck {carrier.truck.plate} is already booked {at(9):%Y-%m-%d} 09:00-13:00 "
        "(Europe/Paris)."
    ]
    assert b"is already booked" in response.content
    assert cargo_rows() == before


def test_an_unverified_company_is_refused_inline_and_nothing_is_stored(carrier, hubs):
    Company.objects.filter(pk=carrier.company.pk).update(
        verification_status=Company.VerificationStatus.PENDING
    )
    before = cargo_rows()

    response = client_for(carrier.owner).post(PUBLISH, publish_form(carrier.truck))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Only a verified company may publish trips."
    ]
    assert cargo_rows() == before


def test_a_truck_that_is_not_assignable_is_refused_inline(alice, hubs):
    # alice's truck without approved documents
    before = cargo_rows()

    response = client_for(alice.owner).post(PUBLISH, publish_form(alice.truck))

    assert response.status_code == 200
    [message] = response.context["form"].non_field_errors()
    assert message.startswith(f"Truck {alice.truck.plate} cannot be assigned")
    assert cargo_rows() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"arrives_at": local(at(7))}, "arrives_at", "Must be after departs_at."),
        ({"departs_at": "yesterday"}, "departs_at", "Enter a valid date/time."),
        (
            {"capacity_m3": "0"},
            "capacity_m3",
            "Ensure this value is greater than or equal to 0.001.",
        ),
        ({"capacity_m3": "999"}, "capacity_m3", None),
        ({"destination_hub": "BER"}, "destination_hub", "Must differ from origin_hub."),
        ({"origin_hub": "XXX"}, "origin_hub", None),
    ],
)
def test_bad_input_is_shown_on_its_field_and_nothing_is_stored(
    carrier, hubs, overrides, field, message
):
    before = cargo_rows()

    response = client_for(carrier.dispatcher).post(
        PUBLISH, publish_form(carrier.truck, **overrides)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message is not None:
        assert errors[field] == [message]
    assert cargo_rows() == before


def test_another_companys_truck_is_refused_on_the_truck_field(carrier, hubs, bob):
    before = cargo_rows()

    response = client_for(carrier.owner).post(PUBLISH, publish_form(bob.truck))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["truck"]
    assert cargo_rows() == before


# --- a trip ---------------------------------------------------------------------------------


def test_the_trip_page_lists_its_shipments_with_the_leg_and_the_totals(carrier, hubs, customer):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    first = book(trip, customer, volume="1.5", weight="80")
    second = book(trip, customer, volume="2", weight="120")

    response = client_for(carrier.owner).get(detail(trip))

    assert response.status_code == 200
    rows = [
        (leg.shipment.reference, leg.shipment.volume_m3, leg.order, leg.legs_total)
        for leg in response.context["legs"]
    ]
    assert rows == [
        (first.reference, Decimal("1.500"), 1, 1),
        (second.reference, Decimal("2.000"), 1, 1),
    ]
    assert (response.context["can_depart"], response.context["can_arrive"]) == (True, False)
    html = response.content.decode()
    assert "3.500 of 10.000 m³ sold (35 %), <strong>6.500 m³ left</strong>" in html
    assert "<td>1 of 1</td>" in html
    assert 'data-confirm="Cancel trip' in html


def test_another_companys_trip_is_404_on_the_page_and_every_action(carrier, hubs, bob):
    trip = TripFactory(company=bob.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    client = client_for(carrier.owner)
    before = cargo_rows()

    answers = [
        client.get(detail(trip)).status_code,
        client.post(action(trip, "depart")).status_code,
        client.post(action(trip, "arrive")).status_code,
        client.post(action(trip, "cancel")).status_code,
    ]

    assert answers == [404, 404, 404, 404]
    assert cargo_rows() == before


@pytest.mark.parametrize("name", ["depart", "arrive", "cancel"])
def test_actions_are_post_only(carrier, hubs, name):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)

    response = client_for(carrier.owner).get(action(trip, name))

    assert response.status_code == 405
    trip.refresh_from_db()
    assert trip.status == "scheduled"


def test_publish_is_post_only(carrier, hubs):
    assert client_for(carrier.owner).get(PUBLISH).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(carrier, hubs):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    client = Client(enforce_csrf_checks=True)
    client.force_login(carrier.owner)
    before = cargo_rows()

    answers = [
        client.post(action(trip, "depart")).status_code,
        client.post(PUBLISH, publish_form(carrier.truck)).status_code,
    ]

    assert answers == [403, 403]
    assert cargo_rows() == before


def test_departing_moves_its_shipments_to_departed_then_arriving_to_arrived(
    carrier, hubs, customer
):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    shipment = book(trip, customer)
    client = client_for(carrier.dispatcher)

    departed = client.post(action(trip, "depart"))

    assert departed.status_code == 302
    assert departed["Location"] == detail(trip)
    trip.refresh_from_db()
    shipment.refresh_from_db()
    assert (trip.status, shipment.status) == ("departed", "DEPARTED")
    assert trip.departed_at is not None
    followed = client.get(detail(trip))
    assert [str(m) for m in followed.context["messages"]] == [f"Trip #{trip.id} marked departed."]
    assert (followed.context["can_depart"], followed.context["can_arrive"]) == (False, True)

    arrived = client.post(action(trip, "arrive"))

    assert arrived.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == "ARRIVED"
    assert list(
        ShipmentEvent.objects.filter(shipment=shipment)
        .order_by("at", "id")
        .values_list("status", "actor_id")
    ) == [
        ("BOOKED", customer.id),
        ("DEPARTED", carrier.dispatcher.id),
        ("ARRIVED", carrier.dispatcher.id),
    ]


def test_an_illegal_move_is_shown_on_the_page_and_changes_nothing(carrier, hubs):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    before = cargo_rows()

    response = client_for(carrier.owner).post(action(trip, "arrive"))

    assert response.status_code == 200
    [message] = response.context["refused"]
    assert "scheduled" in message and "arrived" in message
    assert b'role="alert" class="refused"' in response.content
    assert cargo_rows() == before


def test_cancelling_a_trip_with_shipments_is_refused_inline_and_changes_nothing(
    carrier, hubs, customer
):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)
    book(trip, customer)
    before = cargo_rows()

    response = client_for(carrier.owner).post(action(trip, "cancel"))

    assert response.status_code == 200
    assert response.context["refused"] == [
        f"Trip {trip.id} carries 1 shipment(s); they must be cancelled first."
    ]
    assert cargo_rows() == before


def test_cancelling_an_empty_trip_releases_its_truck(carrier, hubs):
    trip = TripFactory(company=carrier.company, origin_hub=hubs.ber, destination_hub=hubs.lej)

    response = client_for(carrier.owner).post(action(trip, "cancel"))

    assert response.status_code == 302
    trip.refresh_from_db()
    assert trip.status == "cancelled"
    assert TruckAllocation.objects.get(pk=trip.allocation_id).released_at is not None


# --- the schedule week links a trip -------------------------------------------------------------


def test_the_schedule_week_links_a_trip_to_its_page(carrier, hubs):
    trip = TripFactory(
        company=carrier.company,
        truck=carrier.truck,
        origin_hub=hubs.ber,
        destination_hub=hubs.lej,
        departs_at=at(9),
        arrives_at=at(13),
    )

    response = client_for(carrier.dispatcher).get(
        "/dashboard/schedule/", {"week": f"{at(9):%Y-%m-%d}"}
    )

    assert response.status_code == 200
    assert f'<a class="kind-trip" href="/dashboard/trips/{trip.id}/">Trip #{trip.id}</a>' in (
        response.content.decode()
    )
