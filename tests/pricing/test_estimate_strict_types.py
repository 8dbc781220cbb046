"""The estimate's JSON body is taken at its JSON types (apps.core.serializers.StrictSerializer)."""

from __future__ import annotations

import pytest

from tests.pricing.conftest import estimate, studio
from tests.pricing.conftest import refused as estimate_refused

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

EXPECTED_TEXT = ["Expected a string."]
EXPECTED_NUMBER = ["Expected a number."]
EXPECTED_BOOLEAN = ["Expected a boolean (true or false)."]
EXPECTED_DECIMAL = ['Expected a decimal as a string ("12.50") or a number.']


@pytest.mark.parametrize(
    ("changes", "details"),
    [
        ({"company": "1"}, {"company": EXPECTED_NUMBER}),
        ({"stairs_origin": True}, {"stairs_origin": EXPECTED_NUMBER}),
        ({"lift_origin": 1}, {"lift_origin": EXPECTED_BOOLEAN}),
        ({"move_date": 20300310}, {"move_date": EXPECTED_TEXT}),
        ({"volume_m3": False}, {"volume_m3": EXPECTED_DECIMAL}),
        (
            {"inventory": [{"item": "chair", "quantity": "2"}]},
            {"inventory": [{"quantity": EXPECTED_NUMBER}]},
        ),
        (
            {"inventory": [{"item": "chair", "quantity": 1}, {"item": 7, "quantity": 1}]},
            {"inventory": [{}, {"item": EXPECTED_TEXT}]},
        ),
    ],
)
def test_the_estimate_is_strict_about_json_types(priced_alice, changes, details):
    error = estimate_refused(studio(priced_alice.company, **changes), status=400, code="invalid")

    assert error["details"] == details


@pytest.mark.parametrize(("volume", "stored"), [("12.5", "12.5"), (12.5, "12.5"), (12, "12")])
def test_decimals_take_a_decimal_string_or_a_json_number(priced_alice, volume, stored):
    response = estimate(studio(priced_alice.company, volume_m3=volume))

    assert response.status_code == 200, response.json()
    assert response.json()["volume_m3"] == stored
