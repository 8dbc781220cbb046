"""Route search: direct and one-stop itineraries, their rules, order, prices and bad input."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from apps.cargo.models import TripStatus
from apps.cargo.search import MAX_RESULTS, routes_search
from apps.companies.models import Company
from apps.core.throttling import ClientRateThrottle
from tests.accounts.conftest import assert_envelope
from tests.cargo.search_support import (
    carrier,
    carrier_truck,
    german_hubs,
    hub_create,
    trip_create,
)

URL = "/api/v1/cargo/routes/"
DAY = date(2030, 6, 10)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def hubs(db):
    return german_hubs()


@pytest.fixture
def truck(db):
    return carrier_truck()


def berlin(hour: int, minute: int = 0, *, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def search(client, **params):
    query = {
        "origin": "BER",
        "destination": "MUC",
        "date": DAY.isoformat(),
        "volume_m3": "1.5",
        "weight_kg": "100",
    }
    return client.get(URL, query | params)


def itineraries(response) -> list[list[int]]:
    assert response.status_code == 200, response.content
    return [[leg["id"] for leg in result["legs"]] for result in response.json()["results"]]


def test_a_direct_trip_is_found_with_its_price_and_remaining_space(api_client, hubs, truck):
    trip = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9), sold_m3="2.5"
    )

    response = search(api_client)

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "legs": [
                    {
                        "id": trip.id,
                        "company": truck.company_id,
                        "company_name": "Carrier",
                        "origin_hub": "BER",
                        "destination_hub": "MUC",
                        "departs_at": "2030-06-10T07:00:00Z",
                        "arrives_at": "2030-06-10T12:00:00Z",
                        "remaining_m3": "17.500",
                        "remaining_kg": "2000.000",
                        "price_per_m3": "10.00",
                        "min_charge": "0.00",
                        "price": "15.00",
                        "currency": "EUR",
                    }
                ],
                "departs_at": "2030-06-10T07:00:00Z",
                "arrives_at": "2030-06-10T12:00:00Z",
                "price": "15.00",
                "currency": "EUR",
            }
        ],
    }


def test_a_one_stop_itinerary_adds_its_legs_prices_with_minimum_charge_and_half_up_cents(
    api_client, hubs, truck
):
    first = trip_create(
        truck=truck,
        origin=hubs.BER,
        destination=hubs.FRA,
        departs_at=berlin(6),
        price_per_m3="10.00",
        min_charge="20.00",
    )
    second = trip_create(
        truck=truck,
        origin=hubs.FRA,
        destination=hubs.MUC,
        departs_at=berlin(14),
        price_per_m3="12.35",
    )

    response = search(api_client)

    assert itineraries(response) == [[first.id, second.id]]
    result = response.json()["results"][0]
    assert [leg["price"] for leg in result["legs"]] == ["20.00", "18.53"]  # 18.525 half up
    assert result["price"] == "38.53"
    assert result["departs_at"] == "2030-06-10T04:00:00Z"
    assert result["arrives_at"] == "2030-06-10T17:00:00Z"


def test_the_connection_is_at_least_two_hours_and_at_most_48_hours(api_client, hubs, truck):
    first = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(8), hours=4
    )
    arrival = first.arrives_at
    seconds = {
        label: trip_create(
            truck=truck, origin=hubs.FRA, destination=hubs.MUC, departs_at=arrival + wait
        )
        for label, wait in {
            "1h59": timedelta(hours=1, minutes=59),
            "2h": timedelta(hours=2),
            "48h": timedelta(hours=48),
            "48h01": timedelta(hours=48, minutes=1),
        }.items()
    }

    response = search(api_client)

    assert itineraries(response) == [[first.id, seconds["2h"].id], [first.id, seconds["48h"].id]]


def test_the_minimum_connection_is_a_setting(settings, api_client, hubs, truck):
    settings.CARGO_MIN_CONNECTION = timedelta(minutes=30)
    first = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(8), hours=4
    )
    second = trip_create(
        truck=truck,
        origin=hubs.FRA,
        destination=hubs.MUC,
        departs_at=first.arrives_at + timedelta(minutes=30),
    )

    assert itineraries(search(api_client)) == [[first.id, second.id]]


def test_the_maximum_connection_is_a_setting(settings, api_client, hubs, truck):
    settings.CARGO_MAX_CONNECTION = timedelta(hours=24)
    first = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(8), hours=4
    )
    within = trip_create(
        truck=truck,
        origin=hubs.FRA,
        destination=hubs.MUC,
        departs_at=first.arrives_at + timedelta(hours=24),
    )
    trip_create(
        truck=truck,
        origin=hubs.FRA,
        destination=hubs.MUC,
        departs_at=first.arrives_at + timedelta(hours=24, minutes=1),
    )

    assert itineraries(search(api_client)) == [[first.id, within.id]]


def test_results_are_sorted_by_arrival_then_price(api_client, hubs, truck):
    late = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(6), hours=9
    )
    early_dear = trip_create(
        truck=truck,
        origin=hubs.BER,
        destination=hubs.MUC,
        departs_at=berlin(7),
        hours=7,
        price_per_m3="30.00",
    )
    early_cheap = trip_create(
        truck=truck,
        origin=hubs.BER,
        destination=hubs.MUC,
        departs_at=berlin(8),
        hours=6,
        price_per_m3="5.00",
    )
    via = trip_create(truck=truck, origin=hubs.BER, destination=hubs.HAM, departs_at=berlin(1))
    onward = trip_create(
        truck=truck, origin=hubs.HAM, destination=hubs.MUC, departs_at=berlin(8), hours=5
    )

    response = search(api_client)

    assert itineraries(response) == [
        [via.id, onward.id],  # arrives 13:00
        [early_cheap.id],  # 14:00, 7.50
        [early_dear.id],  # 14:00, 45.00
        [late.id],  # 15:00
    ]


def test_a_leg_without_the_requested_volume_is_excluded(api_client, hubs, truck):
    just_enough = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9), sold_m3="18.5"
    )
    trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(10), sold_m3="18.6"
    )
    first = trip_create(truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(6))
    trip_create(  # the only connection is full
        truck=truck,
        origin=hubs.FRA,
        destination=hubs.MUC,
        departs_at=berlin(14),
        sold_m3="20",
    )

    assert itineraries(search(api_client)) == [[just_enough.id]]
    assert itineraries(search(api_client, destination="FRA")) == [[first.id]]  # room on leg 1


def test_a_leg_without_the_requested_weight_is_excluded(api_client, hubs, truck):
    trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9), sold_kg="1950"
    )

    assert itineraries(search(api_client, weight_kg="50.001")) == []
    assert len(itineraries(search(api_client, weight_kg="50"))) == 1


@pytest.mark.parametrize(
    "status", [Company.VerificationStatus.PENDING, Company.VerificationStatus.SUSPENDED]
)
def test_trips_of_unverified_companies_are_excluded_as_any_leg(api_client, hubs, truck, status):
    _company, unverified = carrier(verification_status=status)
    trip_create(truck=unverified, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))
    first = trip_create(truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(6))
    trip_create(truck=unverified, origin=hubs.FRA, destination=hubs.MUC, departs_at=berlin(14))
    trip_create(truck=unverified, origin=hubs.BER, destination=hubs.HAM, departs_at=berlin(6))
    onward = trip_create(truck=truck, origin=hubs.HAM, destination=hubs.MUC, departs_at=berlin(14))

    # Verified legs exist on both sides (BER -> FRA, HAM -> MUC) but never meet a verified one.
    assert itineraries(search(api_client)) == []
    assert itineraries(search(api_client, destination="FRA")) == [[first.id]]
    assert itineraries(search(api_client, origin="HAM", date="2030-06-10")) == [[onward.id]]


@pytest.mark.parametrize("status", [TripStatus.DEPARTED, TripStatus.ARRIVED, TripStatus.CANCELLED])
def test_only_scheduled_trips_are_offered(api_client, hubs, truck, status):
    trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9), status=status
    )
    scheduled = trip_create(
        truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(10)
    )

    assert itineraries(search(api_client)) == [[scheduled.id]]


def test_a_trip_that_already_left_is_not_offered(api_client, hubs, truck):
    departs_at = timezone.now() - timedelta(minutes=1)
    trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=departs_at)
    today = departs_at.astimezone(BERLIN).date().isoformat()

    assert itineraries(search(api_client, date=today)) == []


def test_legs_in_different_currencies_are_not_joined(api_client, hubs, truck):
    first = trip_create(truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(6))
    trip_create(
        truck=truck, origin=hubs.FRA, destination=hubs.MUC, departs_at=berlin(14), currency="CHF"
    )
    same = trip_create(truck=truck, origin=hubs.FRA, destination=hubs.MUC, departs_at=berlin(15))

    assert itineraries(search(api_client)) == [[first.id, same.id]]


def test_no_itinerary_changes_truck_at_an_inactive_hub(api_client, hubs, truck):
    trip_create(truck=truck, origin=hubs.BER, destination=hubs.HAM, departs_at=berlin(6))
    trip_create(truck=truck, origin=hubs.HAM, destination=hubs.MUC, departs_at=berlin(14))
    hubs.HAM.is_active = False
    hubs.HAM.save(update_fields=["is_active"])

    assert itineraries(search(api_client)) == []


def test_a_trip_leaving_0300_utc_from_los_angeles_is_found_on_the_local_previous_date_only(
    api_client, truck
):
    lax, sfo = hub_create("LAX"), hub_create("SFO")
    trip = trip_create(
        truck=truck,
        origin=lax,
        destination=sfo,
        departs_at=datetime(2030, 6, 11, 3, 0, tzinfo=ZoneInfo("UTC")),  # 20:00 PDT on the 10th
        currency="EUR",
    )

    on_local_date = search(api_client, origin="LAX", destination="SFO", date="2030-06-10")
    on_utc_date = search(api_client, origin="LAX", destination="SFO", date="2030-06-11")

    assert trip.departs_on_local == date(2030, 6, 10)
    assert itineraries(on_local_date) == [[trip.id]]
    assert itineraries(on_utc_date) == []


def test_hub_codes_are_taken_in_any_case(api_client, hubs, truck):
    trip = trip_create(truck=truck, origin=hubs.BER, destination=hubs.MUC, departs_at=berlin(9))

    assert itineraries(search(api_client, origin="ber", destination="Muc")) == [[trip.id]]


def test_at_most_50_itineraries_are_returned_paginated(api_client, hubs, truck):
    trips = [
        trip_create(
            truck=truck,
            origin=hubs.BER,
            destination=hubs.MUC,
            departs_at=berlin(0) + timedelta(minutes=index),
        )
        for index in range(MAX_RESULTS + 1)
    ]

    first_page = search(api_client)
    last_page = search(api_client, page="3")

    assert MAX_RESULTS == 50
    assert first_page.json()["count"] == 50
    assert itineraries(first_page) == [[trip.id] for trip in trips[:20]]
    assert "page=2" in first_page.json()["next"]
    assert itineraries(last_page) == [[trip.id] for trip in trips[40:50]]
    assert last_page.json()["next"] is None


def test_the_selector_returns_itineraries_with_model_legs(hubs, truck):
    first = trip_create(truck=truck, origin=hubs.BER, destination=hubs.FRA, departs_at=berlin(6))
    second = trip_create(truck=truck, origin=hubs.FRA, destination=hubs.MUC, departs_at=berlin(14))

    [itinerary] = routes_search(
        origin=hubs.BER,
        destination=hubs.MUC,
        date=DAY,
        volume_m3=Decimal("2"),
        weight_kg=Decimal("10"),
    )

    assert itinerary.legs == (first, second)
    assert itinerary.price == Decimal("40.00")
    assert itinerary.currency == "EUR"
    assert itinerary.departs_at == first.departs_at
    assert itinerary.arrives_at == second.arrives_at


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"origin": None}, {"origin"}),
        ({"date": None, "volume_m3": None, "weight_kg": None}, {"date", "volume_m3", "weight_kg"}),
        ({"date": "10/06/2030"}, {"date"}),
        ({"date": "9999-12-31"}, {"date"}),
        ({"volume_m3": "0"}, {"volume_m3"}),
        ({"volume_m3": "200.001"}, {"volume_m3"}),
        ({"volume_m3": "1.0001"}, {"volume_m3"}),
        ({"volume_m3": "NaN"}, {"volume_m3"}),
        ({"weight_kg": "-1"}, {"weight_kg"}),
        ({"weight_kg": "40000.001"}, {"weight_kg"}),
        ({"origin": "B!R"}, {"origin"}),
        ({"origin": "BERLINBERLIN"}, {"origin"}),
        ({"sort": "price"}, {"sort"}),
    ],
)
def test_bad_query_is_400_naming_the_fields(api_client, hubs, params, fields):
    query = {
        "origin": "BER",
        "destination": "MUC",
        "date": DAY.isoformat(),
        "volume_m3": "1.5",
        "weight_kg": "100",
    } | params

    response = api_client.get(URL, {key: value for key, value in query.items() if value})

    error = assert_envelope(response, status=400, code="invalid")
    assert set(error["details"]) == fields


def test_origin_equal_to_destination_is_400(api_client, hubs):
    response = search(api_client, destination="BER")

    error = assert_envelope(response, status=400, code="invalid")
    assert error["details"] == {"destination": ["Must differ from origin."]}


@pytest.mark.parametrize("field", ["origin", "destination"])
def test_an_unknown_or_inactive_hub_is_404(api_client, hubs, field):
    hub_create("LAX", is_active=False)

    unknown = search(api_client, **{field: "XYZ"})
    inactive = search(api_client, **{field: "LAX"})

    assert assert_envelope(unknown, status=404, code="not_found")["details"] == {field: "XYZ"}
    assert assert_envelope(inactive, status=404, code="not_found")["details"] == {field: "LAX"}


def test_search_is_throttled_like_other_public_reads(monkeypatch, api_client, hubs):
    # The default throttle's rates are read when its class is built (as tests/core does).
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})

    codes = [search(api_client).status_code for _ in range(3)]

    assert codes == [200, 200, 429]
