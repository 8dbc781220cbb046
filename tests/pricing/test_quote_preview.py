"""pricing.services.quote_preview: an unsaved rules document priced like a saved one."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest

from apps.core.errors import Invalid
from apps.pricing.engine.values import MoveSpec
from apps.pricing.examples import SMALL_LOCAL_MOVER
from apps.pricing.services import pricing_config_save, quote_preview
from tests.pricing.conftest import next_weekday_within_a_month, pricing_rows

pytestmark = pytest.mark.django_db


def sample() -> MoveSpec:
    return MoveSpec(
        move_date=next_weekday_within_a_month(),
        volume_m3=Decimal("20"),
        stairs_origin=2,
        carry_destination_m=25,
        start_time=time(9),
    )


def test_a_draft_is_priced_as_the_next_version_and_nothing_is_stored(priced_alice):
    before = pricing_rows()
    draft = SMALL_LOCAL_MOVER | {"travel_fee": "100.00"}

    estimate = quote_preview(
        company=priced_alice.company, document=draft, move=sample(), distance_km=Decimal("20.0")
    )

    assert estimate.config.version == 2
    assert estimate.config.pk is None
    assert [line.code for line in estimate.result.lines] == [
        "labour",
        "travel_fee",
        "mileage",
        "stairs.origin",
        "long_carry.destination",
    ]
    assert (estimate.result.subtotal, estimate.result.total) == (
        Decimal("502.00"),
        Decimal("602.40"),
    )
    assert pricing_rows() == before


@pytest.mark.parametrize(
    "document",
    [
        SMALL_LOCAL_MOVER | {"tax_rate_percent": "101"},
        SMALL_LOCAL_MOVER | {"currency": "GBP"},
        SMALL_LOCAL_MOVER | {"surcharges": [{"type": "stairs"}]},
        ["not", "an", "object"],
    ],
)
def test_a_draft_is_refused_with_the_same_details_as_saving_it(priced_alice, document):
    before = pricing_rows()
    with pytest.raises(Invalid) as saving:
        pricing_config_save(company=priced_alice.company, document=document, actor=None)

    with pytest.raises(Invalid) as previewing:
        quote_preview(
            company=priced_alice.company,
            document=document,
            move=sample(),
            distance_km=Decimal("20.0"),
        )

    assert previewing.value.details == saving.value.details
    assert previewing.value.details != {}
    assert pricing_rows() == before


def test_a_past_move_date_is_refused(priced_alice):
    past = MoveSpec(move_date=date(2020, 1, 6), volume_m3=Decimal("20"))

    with pytest.raises(Invalid) as refused:
        quote_preview(
            company=priced_alice.company,
            document=SMALL_LOCAL_MOVER,
            move=past,
            distance_km=Decimal("20.0"),
        )

    assert list(refused.value.details) == ["move_date"]
