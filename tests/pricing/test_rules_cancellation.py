"""The optional cancellation block of a rules document: validation and the fee it computes."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from apps.pricing.engine.cancellation import Cancellation, cancellation_fee
from apps.pricing.engine.rules import rules_parse
from apps.pricing.errors import RulesInvalid
from apps.pricing.examples import SMALL_LOCAL_MOVER

D = Decimal
NOW = datetime(2030, 3, 10, 9, 0, tzinfo=UTC)


def with_cancellation(block, **changes) -> dict:
    document = copy.deepcopy(SMALL_LOCAL_MOVER)
    document.update(changes)
    document["cancellation"] = block
    return document


def details_of(document) -> dict:
    with pytest.raises(RulesInvalid) as caught:
        rules_parse(document)
    return caught.value.errors


def test_a_document_without_the_block_still_parses_and_charges_nothing():
    rules = rules_parse(SMALL_LOCAL_MOVER)

    assert rules.cancellation is None
    assert rules.model_dump(mode="json")["cancellation"] is None


def test_a_valid_block_is_stored_with_its_defaults():
    rules = rules_parse(with_cancellation({"notice_hours": 48, "fee_percent": "20"}))

    assert rules.model_dump(mode="json")["cancellation"] == {
        "notice_hours": 48,
        "fee_percent": "20",
        "fee": None,
    }


def test_a_block_without_any_fee_is_refused():
    assert details_of(with_cancellation({"notice_hours": 48})) == {
        ("cancellation",): ["Value error, Give fee_percent, fee or both."]
    }


@pytest.mark.parametrize(
    ("block", "location", "message"),
    [
        ({"notice_hours": 0, "fee": "10"}, "notice_hours", "greater than or equal to 1"),
        ({"notice_hours": 721, "fee": "10"}, "notice_hours", "less than or equal to 720"),
        ({"notice_hours": 48, "fee_percent": "0"}, "fee_percent", "greater than 0"),
        ({"notice_hours": 48, "fee_percent": "101"}, "fee_percent", "less than or equal to 100"),
        ({"notice_hours": 48, "fee": "-1"}, "fee", "greater than 0"),
        ({"notice_hours": 48, "fee": "10", "refund": "1"}, "refund", "Extra inputs"),
    ],
)
def test_out_of_range_values_are_reported_at_their_field(block, location, message):
    errors = details_of(with_cancellation(block))

    assert list(errors) == [("cancellation", location)]
    assert message in errors[("cancellation", location)][0]


def test_a_flat_fee_finer_than_the_currencys_minor_unit_is_refused():
    assert details_of(with_cancellation({"notice_hours": 48, "fee": "10.005"})) == {
        ("cancellation", "fee"): ["At most 2 decimal places in EUR."]
    }


def test_the_fee_is_percent_plus_flat_rounded_to_the_minor_unit():
    policy = Cancellation(notice_hours=48, fee_percent=D("12.5"), fee=D("10"))

    fee = cancellation_fee(
        policy=policy,
        total=D("99.99"),
        currency="EUR",
        cancelled_at=NOW,
        starts_at=NOW + timedelta(hours=47, minutes=59),
    )

    assert fee == D("22.50")  # 10 + 12.49875, half up


def test_exactly_the_notice_period_ahead_is_free():
    policy = Cancellation(notice_hours=48, fee=D("10"))

    fee = cancellation_fee(
        policy=policy,
        total=D("100"),
        currency="EUR",
        cancelled_at=NOW,
        starts_at=NOW + timedelta(hours=48),
    )

    assert fee is None


def test_zero_decimal_currencies_round_to_whole_units():
    policy = Cancellation(notice_hours=24, fee_percent=D("15"))

    fee = cancellation_fee(
        policy=policy, total=D("12345"), currency="JPY", cancelled_at=NOW, starts_at=NOW
    )

    assert fee == D("1852")
