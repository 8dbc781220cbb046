"""The estimate takes exactly a move request's body plus `company`: the fields that do not
change a price are accepted, validated to the documented limits, and ignored by the price."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time

import pytest

from apps.core import limits
from apps.pricing.examples import CITY_PREMIUM_MOVER
from tests.companies.factories import CompanyFactory
from tests.pricing.conftest import estimate, next_weekday_within_a_month, refused, studio
from tests.pricing.factories import PricingConfigFactory, stored_rules

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_addresses_notes_and_window_are_accepted_and_do_not_change_the_price(priced_alice):
    bare = estimate(studio(priced_alice.company))
    full = estimate(
        studio(
            priced_alice.company,
            origin_address="12 rue de la République, 69002 Lyon",
            destination_address="3 cours Lafayette, 69003 Lyon",
            notes="Piano on the 3rd floor; the lift is too small for the sofa.",
        )
    )

    assert (bare.status_code, full.status_code) == (200, 200)
    bare_quote, full_quote = bare.json(), full.json()
    del bare_quote["expires_at"], full_quote["expires_at"]
    assert full_quote == bare_quote
    assert full_quote["total"] == "330.00"


@pytest.mark.parametrize(
    ("changes", "details"),
    [
        (
            {"origin_address": "x" * (limits.MAX_ADDRESS_LENGTH + 1)},
            {"origin_address": ["Ensure this field has no more than 300 characters."]},
        ),
        (
            {"destination_address": "x" * (limits.MAX_ADDRESS_LENGTH + 1)},
            {"destination_address": ["Ensure this field has no more than 300 characters."]},
        ),
        (
            {"notes": "x" * (limits.MAX_NOTES_LENGTH + 1)},
            {"notes": ["Ensure this field has no more than 2000 characters."]},
        ),
        ({"notes": 12}, {"notes": ["Expected a string."]}),
        (
            {"window_start": "2030-03-10T09:00:00", "window_end": "2030-03-10T11:00:00"},
            {
                "window_start": [
                    "Give the time with its UTC offset, e.g. 2030-03-10T09:00:00+01:00."
                ],
                "window_end": [
                    "Give the time with its UTC offset, e.g. 2030-03-10T09:00:00+01:00."
                ],
            },
        ),
        (
            {
                "window_start": "2030-03-10T11:00:00+01:00",
                "window_end": "2030-03-10T09:00:00+01:00",
            },
            {"window_end": ["Must be after window_start."]},
        ),
        ({"window_end": None}, {"window_end": ["window_start and window_end go together."]}),
        ({"start_time": "09:00"}, {"start_time": ["Unknown field."]}),  # the window replaces it
    ],
)
def test_the_fields_that_do_not_change_a_price_are_still_validated(priced_alice, changes, details):
    error = refused(studio(priced_alice.company, **changes), status=400, code="invalid")

    assert error["details"] == details


@pytest.mark.parametrize(("hour", "after_hours"), [(9, False), (19, True), (7, True)])
def test_the_arrival_window_start_in_the_companys_zone_feeds_after_hours_rules(
    db, hour, after_hours
):
    company = CompanyFactory(currency="GBP", timezone="Europe/London")
    PricingConfigFactory(company=company, version=1, rules=stored_rules(CITY_PREMIUM_MOVER))
    day = next_weekday_within_a_month()
    start = datetime.combine(day, time(hour), tzinfo=LONDON)
    # The same moment written in another offset: read in the company's zone all the same.
    body = studio(
        company,
        window_start=start.astimezone(zoneinfo.ZoneInfo("Asia/Tokyo")).isoformat(),
        window_end=start.replace(hour=hour + 2).isoformat(),
    )

    response = estimate(body)

    assert response.status_code == 200, response.json()
    codes = [line["code"] for line in response.json()["lines"]]
    assert ("after_hours" in codes) is after_hours


def test_without_a_window_no_after_hours_rule_applies(db):
    company = CompanyFactory(currency="GBP", timezone="Europe/London")
    PricingConfigFactory(company=company, version=1, rules=stored_rules(CITY_PREMIUM_MOVER))
    body = studio(company)
    del body["window_start"], body["window_end"]

    response = estimate(body)

    assert response.status_code == 200
    assert "after_hours" not in [line["code"] for line in response.json()["lines"]]
