"""POST /move-requests/ and its reads: instant quotes from every verified company serving both
ends, priced by the engine, frozen, cheapest first; bad input refused with nothing stored."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from apps.bookings.api.views_requests import earliest_today
from apps.bookings.models import MoveRequest, Quote
from apps.companies.models import Company
from apps.core.geo import point_from_lat_lng
from apps.pricing.api.serializers import MoveRequestInput, move_spec_from
from apps.pricing.services import quote_estimate
from tests.accounts.factories import CustomerFactory
from tests.bookings.quoting import (
    LYON,
    LYON_NORTH_18_KM,
    PARIS,
    URL,
    body,
    bookings_rows,
    create_request,
    price,
)
from tests.companies.factories import CompanyFactory, ServiceAreaFactory, square_area
from tests.conftest import auth_client_for

pytestmark = pytest.mark.django_db


def _company_ids(answer: dict) -> list[int]:
    return [quote["company"] for quote in answer["quotes"]]


def test_every_verified_company_serving_both_ends_quotes_cheapest_first(priced, customer_client):
    alice, bob = priced

    answer = create_request(customer_client)

    assert _company_ids(answer) == [bob.company.id, alice.company.id]  # 70/h before 90/h
    totals = [Decimal(quote["total"]) for quote in answer["quotes"]]
    assert totals == sorted(totals) and totals[0] < totals[1]
    stored = MoveRequest.objects.get()
    assert answer["id"] == stored.id
    assert list(stored.quotes.order_by("total").values_list("company_id", flat=True)) == [
        bob.company.id,
        alice.company.id,
    ]
    assert answer["origin_address"] == "1 Place Bellecour, 69002 Lyon"
    assert stored.inventory == [
        {"item": "box_medium", "quantity": 20},
        {"item": "sofa_2seat", "quantity": 1},
    ]


def test_a_company_serving_only_one_end_gets_no_quote(priced, customer_client):
    alice, bob = priced
    one_end = CompanyFactory()
    ServiceAreaFactory(company=one_end, area=square_area(lat=LYON["lat"], lng=LYON["lng"]))
    price(one_end, rate_2="50")  # the cheapest, were it asked

    far = create_request(customer_client, destination=LYON_NORTH_18_KM)  # 18 km north: outside
    near = create_request(customer_client)  # both ends inside its square

    assert one_end.id not in _company_ids(far)
    assert sorted(_company_ids(far)) == sorted([alice.company.id, bob.company.id])
    assert _company_ids(near)[0] == one_end.id


def test_unverified_and_suspended_companies_get_no_quote(priced, customer_client):
    alice, bob = priced
    for status in (Company.VerificationStatus.PENDING, Company.VerificationStatus.SUSPENDED):
        company = CompanyFactory(verification_status=status)
        ServiceAreaFactory(company=company)
        price(company, rate_2="50")

    answer = create_request(customer_client)

    assert sorted(_company_ids(answer)) == sorted([alice.company.id, bob.company.id])


def test_a_company_without_usable_pricing_is_skipped_not_an_error(priced, customer_client):
    alice, bob = priced
    unpriced = CompanyFactory()
    ServiceAreaFactory(company=unpriced)
    other_currency = CompanyFactory(currency="GBP")  # its EUR rules no longer apply
    ServiceAreaFactory(company=other_currency)
    price(other_currency)

    answer = create_request(customer_client)

    assert sorted(_company_ids(answer)) == sorted([alice.company.id, bob.company.id])
    assert Quote.objects.count() == 2


def test_no_company_serving_the_move_answers_201_without_quotes(priced, customer_client):
    answer = create_request(customer_client, origin=PARIS, destination=PARIS)

    assert answer["quotes"] == []
    assert MoveRequest.objects.count() == 1


def test_stored_quote_is_exactly_the_engines_and_names_its_version(priced, customer_client):
    alice, _ = priced
    data = body()

    answer = create_request(customer_client)

    validated = MoveRequestInput(data=data)
    assert validated.is_valid(), validated.errors
    engine = quote_estimate(
        company=alice.company,
        origin=point_from_lat_lng(data["origin"]["lat"], data["origin"]["lng"]),
        destination=point_from_lat_lng(data["destination"]["lat"], data["destination"]["lng"]),
        move=move_spec_from(validated.validated_data),
        window_start=validated.validated_data["window_start"],
    ).to_dict()
    quote = next(q for q in answer["quotes"] if q["company"] == alice.company.id)
    for field in ("lines", "subtotal", "tax", "total", "currency", "crew_size"):
        assert quote[field] == engine[field], field
    for field in ("estimated_hours", "volume_m3", "distance_km"):
        assert Decimal(quote[field]) == Decimal(engine[field]), field
    assert quote["pricing_version"] == 1
    stored = Quote.objects.get(pk=quote["id"])
    assert stored.lines == engine["lines"]
    assert stored.pricing_config_id == alice.config.id
    assert stored.tax_rate_percent == Decimal("20")
    assert stored.status == Quote.Status.OPEN


def test_quote_is_frozen_when_the_company_saves_new_pricing(priced, customer_client):
    alice, _ = priced
    answer = create_request(customer_client)
    before = next(q for q in answer["quotes"] if q["company"] == alice.company.id)

    price(alice.company, rate_2="200", version=2)
    detail = customer_client.get(f"{URL}{answer['id']}/").json()
    fresh = create_request(customer_client)

    after = next(q for q in detail["quotes"] if q["company"] == alice.company.id)
    assert after == before
    new = next(q for q in fresh["quotes"] if q["company"] == alice.company.id)
    assert new["pricing_version"] == 2
    assert Decimal(new["total"]) > Decimal(before["total"])


def test_quotes_expire_after_the_configured_hours(priced, customer_client, settings):
    settings.BOOKINGS_QUOTE_TTL_HOURS = 5
    started = timezone.now()

    answer = create_request(customer_client)

    for quote in answer["quotes"]:
        expires = parse_datetime(quote["expires_at"])
        assert started + timedelta(hours=5) <= expires <= timezone.now() + timedelta(hours=5)


def test_quoting_fifty_companies_takes_as_many_queries_as_two(alice, catalogue, customer_client):
    def companies(count: int) -> None:
        for _ in range(count):
            company = CompanyFactory()
            ServiceAreaFactory(company=company)
            price(company)

    price(alice.company)
    with CaptureQueriesContext(connection) as few:
        create_request(customer_client)
    companies(49)
    with CaptureQueriesContext(connection) as many:
        answer = create_request(customer_client)

    assert len(answer["quotes"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_unknown_item_without_volume_is_refused_and_nothing_stored(priced, customer_client):
    before = bookings_rows()

    response = customer_client.post(
        URL,
        body(inventory=[{"item": "box_medium", "quantity": 1}, {"item": "kayak", "quantity": 1}]),
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "inventory": [{}, {"item": ["Unknown item 'kayak': give its volume_m3."]}]
    }
    assert bookings_rows() == before


def _past_date() -> str:
    return (timezone.now() - timedelta(days=1, hours=12)).date().isoformat()


NAIVE = "Give the time with its UTC offset, e.g. 2030-03-10T09:00:00+01:00."
BAD_INPUT = [
    (
        "address too long",
        {"origin_address": "x" * 301},
        {"origin_address": ["Ensure this field has no more than 300 characters."]},
    ),
    (
        "address missing",
        {"destination_address": None},
        {"destination_address": ["This field may not be null."]},
    ),
    ("address blank", {"origin_address": ""}, {"origin_address": ["This field may not be blank."]}),
    (
        "notes too long",
        {"notes": "n" * 2001},
        {"notes": ["Ensure this field has no more than 2000 characters."]},
    ),
    (
        "quantity 0",
        {"inventory": [{"item": "box_medium", "quantity": 0}]},
        {"inventory": [{"quantity": ["Ensure this value is greater than or equal to 1."]}]},
    ),
    (
        "quantity 501",
        {"inventory": [{"item": "box_medium", "quantity": 501}]},
        {"inventory": [{"quantity": ["Ensure this value is less than or equal to 500."]}]},
    ),
    (
        "volume 0",
        {"volume_m3": "0"},
        {"volume_m3": ["Ensure this value is greater than or equal to 0.001."]},
    ),
    (
        "volume 200.001",
        {"volume_m3": "200.001"},
        {"volume_m3": ["Ensure this value is less than or equal to 200."]},
    ),
    (
        "stairs 31",
        {"stairs_origin": 31},
        {"stairs_origin": ["Ensure this value is less than or equal to 30."]},
    ),
    (
        "stairs -1",
        {"stairs_destination": -1},
        {"stairs_destination": ["Ensure this value is greater than or equal to 0."]},
    ),
    (
        "naive window",
        {"window_start": "2030-03-10T09:00:00", "window_end": "2030-03-10T11:00:00"},
        {"window_start": [NAIVE], "window_end": [NAIVE]},
    ),
    (
        "window end before start",
        {"window_start": "2030-03-10T11:00:00+01:00", "window_end": "2030-03-10T09:00:00+01:00"},
        {"window_end": ["Must be after window_start."]},
    ),
    ("unknown field", {"colour": "red"}, {"colour": ["Unknown field."]}),
]


@pytest.mark.parametrize(
    ("changes", "details"), [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT]
)
def test_bad_input_at_the_limits_is_refused_and_nothing_stored(
    priced, customer_client, changes, details
):
    before = bookings_rows()

    response = customer_client.post(URL, body(**changes), format="json")

    assert response.status_code == 400, response.json()
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"] == details
    assert bookings_rows() == before


def test_move_date_in_the_past_is_refused_and_nothing_stored(priced, customer_client):
    before = bookings_rows()

    response = customer_client.post(
        URL, body(move_date=_past_date(), window_start=None, window_end=None), format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"move_date": ["Must not be in the past."]}
    assert bookings_rows() == before


def test_limits_themselves_are_accepted(priced, customer_client):
    answer = create_request(
        customer_client,
        origin_address="a" * 300,
        notes="n" * 2000,
        inventory=[
            {"item": "box_medium", "quantity": 500},
            {"item": "kayak", "quantity": 1, "volume_m3": "0.001"},
        ],
        volume_m3="200",
        stairs_origin=30,
        stairs_destination=0,
    )

    assert MoveRequest.objects.get().volume_m3 == Decimal("200")
    assert answer["stairs_origin"] == 30
    assert len(answer["quotes"]) == 2


def test_anonymous_caller_gets_401_and_nothing_stored(priced):
    response = APIClient().post(URL, body(), format="json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert MoveRequest.objects.count() == 0


def test_company_staff_may_request_a_move_as_a_customer(priced):
    alice, _ = priced

    answer = create_request(alice.dispatcher_client)

    assert answer["customer"] == alice.dispatcher.id
    assert len(answer["quotes"]) == 2


# --- reads -----------------------------------------------------------------------------------


def test_customer_reads_own_request_with_quotes_cheapest_first(priced, customer_client):
    created = create_request(customer_client)

    response = customer_client.get(f"{URL}{created['id']}/")

    assert response.status_code == 200
    assert response.json() == created


def test_quote_list_is_paginated_cheapest_first(priced, customer_client):
    alice, bob = priced
    created = create_request(customer_client)

    first = customer_client.get(f"{URL}{created['id']}/quotes/?page_size=1").json()
    second = customer_client.get(f"{URL}{created['id']}/quotes/?page_size=1&page=2").json()

    assert first["count"] == 2
    assert [q["company"] for q in first["results"]] == [bob.company.id]
    assert [q["company"] for q in second["results"]] == [alice.company.id]
    assert first["results"][0] == created["quotes"][0]


def test_list_shows_only_the_callers_requests_newest_first(priced, customer_client):
    first = create_request(customer_client)
    second = create_request(customer_client)
    create_request(auth_client_for(priced[0].owner))

    page = customer_client.get(URL).json()

    assert [item["id"] for item in page["results"]] == [second["id"], first["id"]]
    assert "quotes" not in page["results"][0]


@pytest.mark.parametrize("suffix", ["", "quotes/"])
def test_another_customer_and_the_quoting_companies_staff_get_404(priced, customer_client, suffix):
    alice, bob = priced
    created = create_request(customer_client)
    url = f"{URL}{created['id']}/{suffix}"

    for client in (
        auth_client_for(CustomerFactory()),
        alice.owner_client,
        alice.dispatcher_client,
        bob.owner_client,
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert APIClient().get(url).status_code == 401


def test_a_company_where_the_move_date_is_already_past_is_skipped(priced, customer_client):
    # Kiritimati (UTC+14) is always at least a day ahead of UTC-12, where today ends last.
    ahead = CompanyFactory(timezone="Pacific/Kiritimati")
    ServiceAreaFactory(company=ahead)
    price(ahead, rate_2="50")
    day = earliest_today().isoformat()

    answer = create_request(customer_client, move_date=day, window_start=None, window_end=None)

    assert ahead.id not in _company_ids(answer)
    assert MoveRequest.objects.get().move_date.isoformat() == day
