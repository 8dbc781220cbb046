"""Validation: a bad rules document or move names the exact location of each problem."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from apps.pricing.engine.rules import PricingRules, rules_parse
from apps.pricing.engine.surcharges import RULE_TYPES, DistanceTierRule
from apps.pricing.errors import RulesInvalid
from apps.pricing.examples import EXAMPLES, LONG_DISTANCE_SPECIALIST, SMALL_LOCAL_MOVER

D = Decimal


def small_local(**changes) -> dict:
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    document.update(changes)
    return document


def details_of(document) -> dict[tuple, list[str]]:
    with pytest.raises(RulesInvalid) as caught:
        rules_parse(document)
    return caught.value.errors


def with_rules(*rules: dict) -> dict:
    return small_local(surcharges=list(rules))


# --- field constraints (pydantic), mapped to dotted paths


def test_negative_stairs_price_is_reported_at_the_rules_index_and_field():
    document = with_rules(
        {"type": "packing", "price_per_m3": "6.00"},
        {"type": "weekend", "days": [5, 6], "multiplier": "1.15"},
        {"type": "stairs", "per_flight": "-5"},
    )

    assert details_of(document) == {
        ("surcharges", 2, "per_flight"): ["Input should be greater than 0"]
    }


def test_currency_must_be_three_capital_letters():
    assert details_of(small_local(currency="eur")) == {
        ("currency",): ["String should match pattern '^[A-Z]{3}$'"]
    }


def test_tax_rate_above_100_percent_is_refused():
    assert details_of(small_local(tax_rate_percent="120")) == {
        ("tax_rate_percent",): ["Input should be less than or equal to 100"]
    }


def test_unknown_keys_are_refused_at_every_level():
    document = small_local(discount="10")
    document["labour"]["overtime_rate"] = "50"

    assert details_of(document) == {
        ("discount",): ["Extra inputs are not permitted"],
        ("labour", "overtime_rate"): ["Extra inputs are not permitted"],
    }


def test_negative_hourly_rate_is_reported_under_its_crew_size():
    document = small_local()
    document["labour"]["hourly_rates"]["3"] = "-130.00"

    assert details_of(document) == {
        ("labour", "hourly_rates", "3"): ["Input should be greater than 0"]
    }


def test_crew_size_keys_must_be_whole_numbers_from_one():
    document = small_local()
    document["labour"]["hourly_rates"] = {"0": "50.00", "two": "90.00", "3": "130.00"}

    assert details_of(document) == {
        ("labour", "hourly_rates", "0"): ["Input should be greater than or equal to 1"],
        ("labour", "hourly_rates", "two"): [
            "Input should be a valid integer, unable to parse string as an integer"
        ],
    }


def test_productivity_must_be_positive():
    document = small_local()
    document["labour"]["productivity_m3_per_mover_hour"] = "0"

    assert details_of(document) == {
        ("labour", "productivity_m3_per_mover_hour"): ["Input should be greater than 0"]
    }


def test_missing_labour_block_is_required():
    document = small_local()
    del document["labour"]

    assert details_of(document) == {("labour",): ["Field required"]}


def test_prices_with_more_than_four_decimals_are_refused():
    assert details_of(small_local(travel_fee="40.00001")) == {
        ("travel_fee",): ["Decimal input should have no more than 4 decimal places"]
    }


def test_unknown_rule_type_is_reported_on_its_type_field():
    document = with_rules({"type": "packing", "price_per_m3": "6"}, {"type": "loyalty"})

    assert details_of(document) == {
        ("surcharges", 1, "type"): [f"Unknown rule type 'loyalty'; known: {', '.join(RULE_TYPES)}."]
    }


def test_rule_without_type_is_reported_on_its_type_field():
    assert details_of(with_rules({"per_flight": "15"})) == {
        ("surcharges", 0, "type"): [f"Field required: one of {', '.join(RULE_TYPES)}."]
    }


def test_weekday_out_of_range_and_multiplier_below_one_are_refused():
    document = with_rules({"type": "weekend", "days": [5, 7], "multiplier": "0.9"})

    assert details_of(document) == {
        ("surcharges", 0, "days", 1): ["Input should be less than or equal to 6"],
        ("surcharges", 0, "multiplier"): ["Input should be greater than 1"],
    }


def test_heavy_item_codes_must_be_catalogue_style_codes():
    document = with_rules({"type": "heavy_item", "prices": {"Piano!": "120"}})

    assert details_of(document) == {
        ("surcharges", 0, "prices", "Piano!"): ["String should match pattern '^[a-z0-9_]{1,64}$'"]
    }


def test_discount_above_100_percent_is_refused():
    document = with_rules({"type": "early_booking_discount", "min_days": 30, "percent": "150"})

    assert details_of(document) == {
        ("surcharges", 0, "percent"): ["Input should be less than or equal to 100"]
    }


def test_a_document_that_is_not_an_object_is_a_non_field_error():
    assert details_of(["not", "a", "document"]) == {
        (): ["Input should be a valid dictionary or instance of PricingRules"]
    }


# --- cross-field checks: the validate(config) hooks


def test_every_crew_size_the_bands_produce_needs_an_hourly_rate():
    document = small_local()
    document["labour"]["hourly_rates"] = {"2": "90.00"}

    assert details_of(document) == {
        ("labour", "hourly_rates", "3"): ["Field required: crew_bands.1 sends 3 movers."]
    }


def test_the_last_crew_band_must_be_open_ended_and_only_the_last():
    document = small_local()
    document["labour"]["crew_bands"] = [
        {"up_to_m3": None, "crew_size": 2},
        {"up_to_m3": "40", "crew_size": 3},
    ]

    assert details_of(document) == {
        ("labour", "crew_bands", 0, "up_to_m3"): ["Only the last band may be open-ended (null)."],
        ("labour", "crew_bands", 1, "up_to_m3"): [
            "The last band must be open-ended (null) so every volume gets a crew."
        ],
    }


def test_crew_bands_must_grow_in_volume_and_never_shrink_the_crew():
    document = small_local()
    document["labour"]["crew_bands"] = [
        {"up_to_m3": "15", "crew_size": 3},
        {"up_to_m3": "10", "crew_size": 2},
        {"up_to_m3": None, "crew_size": 3},
    ]

    assert details_of(document) == {
        ("labour", "crew_bands", 1, "up_to_m3"): ["Must be greater than the band before."],
        ("labour", "crew_bands", 1, "crew_size"): ["Must not be smaller than the band before."],
    }


def test_a_crew_band_where_more_volume_costs_less_labour_is_refused_with_the_fix():
    # Just below 15 m3: 2 movers x 3.00 h x 90.00 = 270.00; just above: 3 movers need
    # 15 / 7.5 = 2.00 h plus a started quarter -> 2.25 h x 110.00 = 247.50 < 270.00.
    document = small_local()
    document["labour"]["hourly_rates"]["3"] = "110.00"

    assert details_of(document) == {
        ("labour", "crew_bands", 0, "up_to_m3"): [
            "Just above 15 m3 the crew grows from 2 to 3 movers and labour drops from 270.00 "
            "(3.00 h) to 247.50 (2.25 h): raise hourly_rates.3 to at least 120.00 or move "
            "this boundary."
        ]
    }


def test_the_suggested_rate_for_a_bigger_crew_is_accepted():
    document = small_local()
    document["labour"]["hourly_rates"]["3"] = "120.00"  # 2.25 h x 120.00 = 270.00, no drop

    assert rules_parse(document).labour.hourly_rates[3] == D("120.00")


def test_minimum_charge_must_fit_the_currencys_minor_unit():
    assert details_of(small_local(minimum_charge="180.005")) == {
        ("minimum_charge",): ["At most 2 decimal places in EUR."]
    }
    assert details_of(small_local(currency="JPY", minimum_charge="180.50")) == {
        ("minimum_charge",): ["At most 0 decimal places in JPY."]
    }


def test_overlapping_distance_tiers_name_the_later_tier():
    document = with_rules(
        {"type": "packing", "price_per_m3": "6"},
        {
            "type": "distance_tier",
            "tiers": [
                {"from_km": "50", "to_km": "300", "per_km": "1.40"},
                {"from_km": "250", "to_km": None, "per_km": "1.10"},
            ],
        },
    )

    assert details_of(document) == {
        ("surcharges", 1, "tiers", 1, "from_km"): ["Overlaps tier 0 (50 km to 300 km)."]
    }


def test_an_open_ended_distance_tier_overlaps_everything_after_it():
    document = with_rules(
        {
            "type": "distance_tier",
            "tiers": [
                {"from_km": "0", "flat": "50"},
                {"from_km": "100", "to_km": "200", "flat": "80"},
            ],
        }
    )

    assert details_of(document) == {
        ("surcharges", 0, "tiers", 1, "from_km"): ["Overlaps tier 0 (0 km to no end)."]
    }


def test_distance_tiers_need_exactly_one_price_and_a_positive_span():
    document = with_rules(
        {
            "type": "distance_tier",
            "tiers": [
                {"from_km": "0", "to_km": "50", "per_km": "1", "flat": "20"},
                {"from_km": "50", "to_km": "100"},
                {"from_km": "200", "to_km": "150", "flat": "20"},
            ],
        }
    )

    assert details_of(document) == {
        ("surcharges", 0, "tiers", 0): ["Give exactly one of per_km and flat."],
        ("surcharges", 0, "tiers", 1): ["Give exactly one of per_km and flat."],
        ("surcharges", 0, "tiers", 2, "to_km"): ["Must be greater than from_km."],
    }


def test_distance_tiers_may_be_listed_in_any_order():
    document = with_rules(
        {
            "type": "distance_tier",
            "tiers": [
                {"from_km": "300", "per_km": "1.10"},
                {"from_km": "50", "to_km": "300", "per_km": "1.40"},
            ],
        }
    )

    assert len(rules_parse(document).surcharges[0].tiers) == 2


def test_after_hours_needs_one_price_and_windows_of_some_length():
    document = with_rules(
        {
            "type": "after_hours",
            "windows": [{"start": "18:00", "end": "22:00"}, {"start": "06:00", "end": "06:00"}],
            "multiplier": "1.5",
            "flat_fee": "80",
        },
        {"type": "after_hours", "windows": [{"start": "25:00", "end": "06:00"}]},
    )

    assert details_of(document) == {
        ("surcharges", 1, "windows", 0, "start"): [
            "Input should be in a valid time format, hour value is outside expected range of 0-23"
        ],
    }
    del document["surcharges"][1]
    assert details_of(document) == {
        ("surcharges", 0, "multiplier"): ["Give exactly one of multiplier and flat_fee."],
        ("surcharges", 0, "windows", 1, "end"): ["Must differ from start."],
    }


def test_duplicate_weekdays_and_holidays_are_refused():
    document = with_rules(
        {"type": "weekend", "days": [5, 6, 5], "multiplier": "1.2"},
        {"type": "holiday", "dates": ["2026-12-25", "2026-12-25"], "multiplier": "1.5"},
    )

    assert details_of(document) == {
        ("surcharges", 0, "days", 2): ["Duplicate value 5."],
        ("surcharges", 1, "dates", 1): ["Duplicate value 2026-12-25."],
    }


def test_demand_must_be_full_above_its_threshold():
    document = with_rules(
        {"type": "demand", "threshold": "0.8", "full_at": "0.8", "max_multiplier": "1.2"}
    )

    assert details_of(document) == {
        ("surcharges", 0, "full_at"): ["Must be greater than threshold."]
    }


def test_validate_hook_returns_paths_relative_to_the_rule():
    config = rules_parse(SMALL_LOCAL_MOVER)
    rule = DistanceTierRule(
        tiers=[{"from_km": "0", "to_km": "100", "flat": "10"}, {"from_km": "99", "flat": "5"}]
    )

    assert rule.validate(config) == [(("tiers", 1, "from_km"), "Overlaps tier 0 (0 km to 100 km).")]


def test_every_problem_of_a_document_is_reported_at_once():
    document = small_local(currency="EURO", travel_fee="-1")
    document["surcharges"][0]["per_flight"] = "abc"

    assert set(details_of(document)) == {
        ("currency",),
        ("travel_fee",),
        ("surcharges", 0, "per_flight"),
    }


def test_the_api_details_nest_the_locations_like_drf():
    document = with_rules(
        {"type": "packing", "price_per_m3": "6.00"},
        {"type": "weekend", "days": [5, 7], "multiplier": "1.15"},
    )
    document["labour"]["hourly_rates"]["3"] = "-1"

    with pytest.raises(RulesInvalid) as caught:
        rules_parse(document)

    assert caught.value.details == {
        "labour": {"hourly_rates": {"3": ["Input should be greater than 0"]}},
        "surcharges": [{}, {"days": [{}, ["Input should be less than or equal to 6"]]}],
    }


# --- parsing conveniences


def test_the_companys_currency_fills_a_document_without_one():
    document = small_local()
    del document["currency"]

    assert rules_parse(document, currency="CHF").currency == "CHF"


def test_a_document_in_another_currency_than_the_companys_is_refused():
    with pytest.raises(RulesInvalid) as caught:
        rules_parse(SMALL_LOCAL_MOVER, currency="GBP")

    assert caught.value.errors == {("currency",): ["Must be the company's currency, GBP."]}


def test_json_numbers_are_read_as_exact_decimals():
    rules = rules_parse(with_rules({"type": "stairs", "per_flight": 15.1}))

    assert rules.surcharges[0].per_flight == D("15.1")


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_examples_round_trip_through_json(name):
    rules = rules_parse(EXAMPLES[name])

    dumped = json.loads(json.dumps(rules.model_dump(mode="json")))
    again = rules_parse(dumped)

    assert again == rules
    assert again.model_dump(mode="json") == dumped


def test_the_registry_knows_the_ten_rule_types():
    assert set(RULE_TYPES) == {
        "stairs",
        "long_carry",
        "heavy_item",
        "weekend",
        "after_hours",
        "holiday",
        "distance_tier",
        "packing",
        "demand",
        "early_booking_discount",
    }


def test_pricing_rules_are_immutable_once_parsed():
    rules = rules_parse(LONG_DISTANCE_SPECIALIST)

    with pytest.raises(ValidationError, match="frozen"):
        rules.travel_fee = D("0")  # type: ignore[misc]
    assert isinstance(rules, PricingRules)
