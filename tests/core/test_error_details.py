"""apps.core.error_details: error locations become DRF's nested `details` shape."""

from __future__ import annotations

from apps.core.error_details import dotted, nest_errors


def test_list_items_nest_as_a_list_with_empty_objects_for_valid_items():
    assert nest_errors({("inventory", 1, "quantity"): ["Too many."]}) == {
        "inventory": [{}, {"quantity": ["Too many."]}]
    }


def test_object_keys_that_look_like_numbers_stay_object_keys():
    assert nest_errors({("labour", "hourly_rates", "4"): ["Field required."]}) == {
        "labour": {"hourly_rates": {"4": ["Field required."]}}
    }


def test_an_items_own_message_is_a_message_list_and_siblings_merge():
    assert nest_errors(
        [
            (("surcharges", 0, "tiers", 0), "Give exactly one."),
            (("surcharges", 0, "tiers", 2, "to_km"), "Must be greater."),
            (("currency",), "Not ISO 4217."),
        ]
    ) == {
        "surcharges": [{"tiers": [["Give exactly one."], {}, {"to_km": ["Must be greater."]}]}],
        "currency": ["Not ISO 4217."],
    }


def test_a_message_on_an_object_with_inner_errors_goes_under_non_field_errors():
    assert nest_errors({("labour",): ["Inconsistent."], ("labour", "minimum_hours"): ["Bad."]}) == {
        "labour": {"minimum_hours": ["Bad."], "non_field_errors": ["Inconsistent."]}
    }


def test_the_whole_input_is_reported_under_non_field_errors():
    assert nest_errors({(): ["Expected a JSON object."]}) == {
        "non_field_errors": ["Expected a JSON object."]
    }
    assert nest_errors({}) == {}


def test_dotted_is_for_logs():
    assert dotted(("surcharges", 2, "per_flight")) == "surcharges.2.per_flight"
