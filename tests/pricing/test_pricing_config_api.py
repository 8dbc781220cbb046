"""GET|PUT /api/v1/companies/{id}/pricing/ and its versions: roles, tenants, validation."""

from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from apps.pricing.examples import CITY_PREMIUM_MOVER, LONG_DISTANCE_SPECIALIST, SMALL_LOCAL_MOVER
from apps.pricing.models import PricingConfig
from tests.companies.factories import CompanyFactory
from tests.pricing.conftest import pricing_rows
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = pytest.mark.django_db


def pricing_url(company, suffix: str = "") -> str:
    return f"/api/v1/companies/{company.id}/pricing/{suffix}"


def eur(document: dict) -> dict:
    """An example document in alice's currency (EUR)."""
    return {**copy.deepcopy(document), "currency": "EUR"}


def test_owner_put_creates_version_1_then_2_and_get_returns_the_latest(alice):
    first = alice.owner_client.put(pricing_url(alice.company), SMALL_LOCAL_MOVER, format="json")
    second = alice.owner_client.put(
        pricing_url(alice.company), eur(LONG_DISTANCE_SPECIALIST), format="json"
    )
    current = alice.owner_client.get(pricing_url(alice.company))

    assert first.status_code == 200
    assert first.json()["version"] == 1
    assert first.json()["rules"] == stored_rules(SMALL_LOCAL_MOVER)
    assert second.status_code == 200
    assert second.json()["version"] == 2
    assert current.status_code == 200
    body = current.json()
    assert body["version"] == 2
    assert body["currency"] == "EUR"
    assert body["rules"] == stored_rules(LONG_DISTANCE_SPECIALIST)
    assert body["created_by"] == alice.owner.id
    assert body["created_at"] == second.json()["created_at"]
    assert list(body) == ["version", "currency", "rules", "created_at", "created_by"]
    version_1 = PricingConfig.objects.get(company=alice.company, version=1)
    assert version_1.rules == stored_rules(SMALL_LOCAL_MOVER)
    assert version_1.created_by == alice.owner
    assert PricingConfig.objects.filter(company=alice.company).count() == 2


def test_the_stored_document_is_the_validated_one_with_defaults_filled_in(alice):
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    del document["currency"]  # the company's currency fills it
    document["surcharges"] = [{"type": "long_carry", "threshold_m": 20, "per_step": 10}]

    response = alice.owner_client.put(pricing_url(alice.company), document, format="json")

    assert response.status_code == 200
    rules = response.json()["rules"]
    assert rules["currency"] == "EUR"
    assert rules["mileage"] == {"rate_per_km": "0.90", "free_km": "15"}
    assert rules["surcharges"] == [
        {"type": "long_carry", "threshold_m": "20", "step_m": "10", "per_step": "10"}
    ]
    assert PricingConfig.objects.get(company=alice.company).rules == rules


def test_dispatcher_reads_the_rules(alice):
    PricingConfigFactory(company=alice.company, version=1, created_by=alice.owner)

    response = alice.dispatcher_client.get(pricing_url(alice.company))

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["rules"] == stored_rules(SMALL_LOCAL_MOVER)


def test_dispatcher_cannot_save_rules_and_nothing_is_stored(alice):
    PricingConfigFactory(company=alice.company, version=1)
    before = pricing_rows()

    response = alice.dispatcher_client.put(
        pricing_url(alice.company), SMALL_LOCAL_MOVER, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert pricing_rows() == before


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("put", ""), ("get", "versions/"), ("get", "versions/1/")],
)
def test_driver_may_neither_read_nor_save_the_rules(alice, method, suffix):
    PricingConfigFactory(company=alice.company, version=1)
    before = pricing_rows()

    response = getattr(alice.driver_client, method)(
        pricing_url(alice.company, suffix), SMALL_LOCAL_MOVER, format="json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert pricing_rows() == before


@pytest.mark.parametrize("role", ["owner", "dispatcher", "driver"])
@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("put", ""), ("get", "versions/"), ("get", "versions/1/")],
)
def test_another_companys_staff_get_404_on_every_pricing_endpoint(alice, bob, role, method, suffix):
    PricingConfigFactory(company=alice.company, version=1)
    PricingConfigFactory(company=bob.company, version=1)
    before = pricing_rows()
    client = getattr(bob, f"{role}_client")

    response = getattr(client, method)(
        pricing_url(alice.company, suffix), SMALL_LOCAL_MOVER, format="json"
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert pricing_rows() == before


def test_anonymous_callers_must_sign_in(alice):
    response = APIClient().get(pricing_url(alice.company))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_a_company_without_rules_answers_404_not_found(alice):
    response = alice.owner_client.get(pricing_url(alice.company))

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": "This company has no pricing rules yet.",
        "details": {},
    }


def test_an_invalid_document_is_refused_with_nested_details_and_no_new_version(alice):
    PricingConfigFactory(company=alice.company, version=1)
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    document["travel_fee"] = "forty"
    document["surcharges"][0]["per_flight"] = "-5"
    document["surcharges"][3]["type"] = "full_moon"
    before = pricing_rows()

    response = alice.owner_client.put(pricing_url(alice.company), document, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["details"] == {
        "travel_fee": ["Input should be a valid decimal"],
        "surcharges": [
            {"per_flight": ["Input should be greater than 0"]},
            {},
            {},
            {
                "type": [
                    "Unknown rule type 'full_moon'; known: stairs, long_carry, heavy_item, "
                    "weekend, holiday, after_hours, distance_tier, packing, demand, "
                    "early_booking_discount."
                ]
            },
        ],
    }
    assert pricing_rows() == before
    assert PricingConfig.objects.filter(company=alice.company).count() == 1


def test_an_inconsistent_document_names_the_crew_band_without_a_rate(alice):
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    document["labour"]["crew_bands"][1]["crew_size"] = 4

    response = alice.owner_client.put(pricing_url(alice.company), document, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "labour": {"hourly_rates": {"4": ["Field required: crew_bands.1 sends 4 movers."]}}
    }
    assert not PricingConfig.objects.exists()


def test_a_document_in_another_currency_than_the_companys_is_refused(alice):
    response = alice.owner_client.put(
        pricing_url(alice.company), CITY_PREMIUM_MOVER, format="json"
    )  # GBP; alice bills in EUR

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "currency": ["Must be the company's currency, EUR."]
    }
    assert not PricingConfig.objects.exists()


@pytest.mark.parametrize("body", [[], "rules", 42])
def test_a_body_that_is_not_a_json_object_is_refused(alice, body):
    response = alice.owner_client.put(pricing_url(alice.company), body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "non_field_errors": ["Expected a JSON object (the rules)."]
    }
    assert not PricingConfig.objects.exists()


def test_a_form_encoded_body_is_refused_with_415(alice):
    response = alice.owner_client.put(
        pricing_url(alice.company), "currency=EUR", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not PricingConfig.objects.exists()


def test_versions_are_listed_newest_first_and_paginated(alice):
    for version in (1, 2, 3):
        PricingConfigFactory(company=alice.company, version=version, created_by=alice.owner)
    PricingConfigFactory(company=CompanyFactory(), version=4)  # another company's

    response = alice.dispatcher_client.get(pricing_url(alice.company, "versions/?page_size=2"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["previous"] is None
    assert body["next"].endswith(
        f"/api/v1/companies/{alice.company.id}/pricing/versions/?page=2&page_size=2"
    )
    assert [row["version"] for row in body["results"]] == [3, 2]
    assert body["results"][0] == {
        "version": 3,
        "currency": "EUR",
        "created_at": body["results"][0]["created_at"],
        "created_by": alice.owner.id,
    }
    second_page = alice.dispatcher_client.get(body["next"])
    assert [row["version"] for row in second_page.json()["results"]] == [1]


def test_one_version_shows_the_rules_it_held(alice):
    PricingConfigFactory(company=alice.company, version=1, rules=stored_rules(SMALL_LOCAL_MOVER))
    PricingConfigFactory(
        company=alice.company, version=2, rules=stored_rules(eur(LONG_DISTANCE_SPECIALIST))
    )

    response = alice.owner_client.get(pricing_url(alice.company, "versions/1/"))

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response.json()["rules"] == stored_rules(SMALL_LOCAL_MOVER)


def test_a_version_the_company_does_not_have_is_404(alice, bob):
    PricingConfigFactory(company=alice.company, version=1)
    PricingConfigFactory(company=bob.company, version=1)
    PricingConfigFactory(company=bob.company, version=2)

    response = alice.owner_client.get(pricing_url(alice.company, "versions/2/"))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
