"""POST /api/v1/quotes/estimate/: anyone prices a move with one company's latest rules."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.companies.models import Company
from apps.pricing.examples import CITY_PREMIUM_MOVER, SMALL_LOCAL_MOVER
from apps.pricing.models import InventoryItem
from tests.companies.factories import CompanyFactory
from tests.pricing.conftest import (
    PARIS,
    STUDIO_INVENTORY,
    URL,
    estimate,
    pricing_rows,
    refused,
    studio,
)
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]


def test_anyone_gets_the_golden_studio_quote_and_nothing_is_stored(priced_alice):
    before = pricing_rows()
    started = timezone.now()

    response = estimate(studio(priced_alice.company))

    assert response.status_code == 200
    body = response.json()
    expires_at = body.pop("expires_at")
    assert body == {
        "company": priced_alice.company.id,
        "lines": [
            # 8.90 m3 -> 2 movers; 8.90 / 5 = 1.78 h -> minimum 2 h; 2.00 x 90.00
            {
                "code": "labour",
                "label": "Labour, 2 movers",
                "quantity": "2.00",
                "unit_price": "90.00",
                "amount": "180.00",
            },
            {
                "code": "travel_fee",
                "label": "Travel and dispatch",
                "quantity": "1",
                "unit_price": "40.00",
                "amount": "40.00",
            },
            # 2.5 km <= 15 free km: no mileage line
            {
                "code": "stairs.origin",
                "label": "Stairs at origin (3 flights)",
                "quantity": "3",
                "unit_price": "15.00",
                "amount": "45.00",
            },
            {
                "code": "long_carry.destination",
                "label": "Long carry at destination (25 m)",
                "quantity": "1",
                "unit_price": "10.00",
                "amount": "10.00",
            },
        ],
        "subtotal": "275.00",
        "tax": "55.00",
        "total": "330.00",
        "currency": "EUR",
        "estimated_hours": "2.00",
        "crew_size": 2,
        "volume_m3": "8.90",
        "distance_km": "2.5",
        "pricing_version": 1,
    }
    ttl = timedelta(minutes=60)
    assert started + ttl <= timezone.datetime.fromisoformat(expires_at) <= timezone.now() + ttl
    assert pricing_rows() == before


def test_the_latest_rules_version_prices_the_move_and_is_named(priced_alice):
    cheaper = copy.deepcopy(SMALL_LOCAL_MOVER)
    cheaper["travel_fee"] = "25.00"
    PricingConfigFactory(company=priced_alice.company, version=2, rules=stored_rules(cheaper))

    response = estimate(studio(priced_alice.company))

    assert response.status_code == 200
    assert response.json()["pricing_version"] == 2
    assert response.json()["lines"][1]["amount"] == "25.00"
    assert (response.json()["subtotal"], response.json()["total"]) == ("260.00", "312.00")


def test_a_signed_in_customer_gets_the_same_quote(priced_alice, customer_client):
    response = customer_client.post(URL, studio(priced_alice.company), format="json")

    assert response.status_code == 200
    assert response.json()["total"] == "330.00"


def test_the_company_need_not_serve_the_addresses(priced_alice):
    # alice's only service area is 25 km around Lyon; Paris is far outside it.
    response = estimate(studio(priced_alice.company, destination=PARIS))

    assert response.status_code == 200
    body = response.json()
    assert body["distance_km"] == "508.9"
    # (508.9 - 15 free km) x 0.90 = 444.51
    assert body["lines"][2] == {
        "code": "mileage",
        "label": "Mileage beyond 15 km",
        "quantity": "493.9",
        "unit_price": "0.90",
        "amount": "444.51",
    }
    # 275.00 + 444.51 = 719.51; tax 143.902 -> 143.90
    assert (body["subtotal"], body["tax"], body["total"]) == ("719.51", "143.90", "863.41")


def test_an_item_outside_the_catalogue_is_priced_with_its_own_volume(priced_alice):
    inventory = [
        *STUDIO_INVENTORY,
        {"item": "garden shed panels", "quantity": 2, "volume_m3": 1.25},
    ]

    response = estimate(studio(priced_alice.company, inventory=inventory))

    assert response.status_code == 200
    # 8.90 + 2 x 1.25 = 11.40 m3; 11.40 / 5 = 2.28 h -> 2.50 h x 90.00 = 225.00
    assert response.json()["volume_m3"] == "11.40"  # volumes keep the scale they were given
    assert response.json()["lines"][0]["amount"] == "225.00"
    assert response.json()["total"] == "384.00"  # (225 + 40 + 45 + 10) x 1.2


def test_the_customers_own_total_volume_replaces_the_inventory_sum(priced_alice):
    response = estimate(studio(priced_alice.company, volume_m3="20"))

    assert response.status_code == 200
    # 20 m3 > 15 -> 3 movers; 20 / 7.5 = 2.67 h -> 2.75 h x 130.00 = 357.50
    assert response.json()["volume_m3"] == "20"
    assert response.json()["crew_size"] == 3
    assert response.json()["lines"][0]["amount"] == "357.50"


def test_an_admins_catalogue_change_prices_the_next_quote(priced_alice):
    InventoryItem.objects.filter(code="box_medium").update(volume_m3="0.100")

    response = estimate(studio(priced_alice.company))

    assert response.status_code == 200
    assert response.json()["volume_m3"] == "9.70"  # 8.90 + 20 x (0.10 - 0.06)


def test_an_inactive_catalogue_item_needs_its_own_volume(priced_alice):
    InventoryItem.objects.filter(code="wardrobe").update(is_active=False)

    error = refused(studio(priced_alice.company), status=400, code="invalid")

    assert error["details"] == {
        "inventory": [{}, {}, {"item": ["Unknown item 'wardrobe': give its volume_m3."]}]
    }


def test_the_demand_rule_has_no_effect_until_bookings_exist(db):
    company = CompanyFactory(currency="GBP", timezone="Europe/London")
    PricingConfigFactory(company=company, version=1, rules=stored_rules(CITY_PREMIUM_MOVER))

    response = estimate(studio(company))

    assert response.status_code == 200
    assert [line["code"] for line in response.json()["lines"]] == [
        "labour",
        "travel_fee",
        "stairs.origin",
        "long_carry.destination",
    ]
    # 3.00 h x 110 + 75 + 3 x 25 + 1 x 20 = 500.00 (golden studio); tax 100.00
    assert response.json()["total"] == "600.00"


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_an_unverified_company_does_not_exist_for_outsiders(db, bob, status):
    company = CompanyFactory(verification_status=status)
    PricingConfigFactory(company=company, version=1)

    anonymous = refused(studio(company), status=404, code="not_found")
    before = pricing_rows()
    other_staff = bob.owner_client.post(URL, studio(company), format="json")

    # The same answer as for an id that was never used: a stranger cannot tell it exists.
    assert anonymous == {"code": "not_found", "message": "Company not found.", "details": {}}
    assert (other_staff.status_code, other_staff.json()["error"]) == (404, anonymous)
    assert pricing_rows() == before


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_an_unverified_companys_own_staff_may_estimate(priced_alice, status):
    Company.objects.filter(pk=priced_alice.company.pk).update(verification_status=status)
    before = pricing_rows()

    response = priced_alice.owner_client.post(URL, studio(priced_alice.company), format="json")

    assert response.status_code == 200, response.json()
    assert (response.json()["company"], response.json()["total"]) == (
        priced_alice.company.id,
        "330.00",
    )
    assert pricing_rows() == before


def test_a_verified_company_without_rules_answers_pricing_not_configured(alice):
    error = refused(studio(alice.company), status=409, code="pricing_not_configured")

    assert error == {
        "code": "pricing_not_configured",
        "message": "This company has not set up its pricing yet.",
        "details": {},
    }


def test_rules_in_a_currency_the_company_no_longer_bills_in_are_not_used(priced_alice):
    Company.objects.filter(pk=priced_alice.company.pk).update(currency="CHF")

    error = refused(studio(priced_alice.company), status=409, code="pricing_not_configured")

    assert error["message"] == (
        "This company's pricing is in EUR but it now bills in CHF; it must save its pricing again."
    )


def test_stored_rules_that_no_longer_validate_are_not_used(alice):
    # Only possible if validation gets stricter after a save: the company must save again.
    PricingConfigFactory(company=alice.company, version=1, rules={"currency": "EUR"})

    error = refused(studio(alice.company), status=409, code="pricing_not_configured")

    assert error["message"] == (
        "This company's saved pricing no longer passes validation; it must save it again."
    )


def test_an_unknown_company_is_404(priced_alice):
    error = refused(
        studio(priced_alice.company, company=priced_alice.company.id + 1000),
        status=404,
        code="not_found",
    )

    assert error["message"] == "Company not found."
