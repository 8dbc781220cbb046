"""quote_estimate at a fixed moment: the golden flat end to end, time zones, expiry, demand."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from apps.core.errors import Invalid
from apps.core.geo import point_from_lat_lng
from apps.pricing.engine.values import InventoryLine, MoveSpec
from apps.pricing.examples import CITY_PREMIUM_MOVER
from apps.pricing.selectors import company_utilisation_on
from apps.pricing.services import quote_estimate
from tests.companies.factories import CompanyFactory
from tests.pricing.conftest import LYON, LYON_NORTH_18_KM
from tests.pricing.factories import PricingConfigFactory, stored_rules
from tests.pricing.test_engine_golden import FLAT, lines_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("catalogue")]

PARIS_TZ = zoneinfo.ZoneInfo("Europe/Paris")
# The golden flat was booked on 2026-03-01 (tests/pricing/test_engine_golden.py).
BOOKED = datetime(2026, 3, 1, 9, 0, tzinfo=PARIS_TZ)


def estimate_flat(company, now: datetime = BOOKED, move: MoveSpec = FLAT):
    return quote_estimate(
        company=company,
        origin=point_from_lat_lng(LYON["lat"], LYON["lng"]),
        destination=point_from_lat_lng(LYON_NORTH_18_KM["lat"], LYON_NORTH_18_KM["lng"]),
        move=move,
        now=now,
    )


def test_the_golden_flat_of_the_small_local_mover_end_to_end(priced_alice):
    estimate = estimate_flat(priced_alice.company)

    # The same lines as test_small_local_mover_quotes_the_flat: 18.0 km, booked 76 days ahead.
    assert lines_of(estimate.result) == [
        ("labour", "3.75", "130.00", "487.50"),
        ("travel_fee", "1", "40.00", "40.00"),
        ("mileage", "3.0", "0.90", "2.70"),
        ("stairs.destination", "4", "15.00", "60.00"),
        ("long_carry.destination", "2", "10.00", "20.00"),
        ("weekend", "487.50", "0.15", "73.13"),
        ("packing", "28", "6.00", "168.00"),
        ("early_booking_discount", "487.50", "-0.05", "-24.38"),
    ]
    body = estimate.to_dict()
    assert {key: body[key] for key in ("subtotal", "tax", "total", "currency")} == {
        "subtotal": "826.95",
        "tax": "165.39",
        "total": "992.34",
        "currency": "EUR",
    }
    assert (body["distance_km"], body["pricing_version"], body["company"]) == (
        "18.0",
        1,
        priced_alice.company.id,
    )
    assert body["expires_at"] == BOOKED + timedelta(minutes=60)


def test_the_city_premium_flat_has_no_demand_line_while_nothing_is_booked(db):
    company = CompanyFactory(currency="GBP", timezone="Europe/London")
    PricingConfigFactory(company=company, version=1, rules=stored_rules(CITY_PREMIUM_MOVER))

    estimate = estimate_flat(company)

    # The golden flat at 75% utilisation had a +5% demand line; at 0% there is none.
    assert lines_of(estimate.result) == [
        ("labour", "4.75", "155.00", "736.25"),
        ("travel_fee", "1", "75.00", "75.00"),
        ("mileage", "8.0", "1.50", "12.00"),  # (18.0 - 10) km x 1.50
        ("stairs.destination", "4", "25.00", "100.00"),
        ("long_carry.destination", "2", "20.00", "40.00"),
        ("weekend", "736.25", "0.25", "184.06"),
        ("packing", "28", "9.50", "266.00"),
    ]
    # 736.25 + 75 + 12 + 100 + 40 + 184.06 + 266 = 1413.31; tax 282.662 -> 282.66
    assert (estimate.result.subtotal, estimate.result.tax, estimate.result.total) == (
        Decimal("1413.31"),
        Decimal("282.66"),
        Decimal("1695.97"),
    )


def test_utilisation_is_zero_on_a_day_with_nothing_booked(alice):
    assert company_utilisation_on(company=alice.company, day=date(2026, 5, 16)) == Decimal(0)


def test_today_is_the_companys_date_not_utc(priced_alice):
    # 23:30 UTC on 1 March is already 2 March in Paris: a 1 March move is in the past there...
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    move = MoveSpec(move_date=date(2026, 3, 1), volume_m3=Decimal("10"))

    with pytest.raises(Invalid) as caught:
        estimate_flat(priced_alice.company, now=late, move=move)

    assert caught.value.details == {
        "move_date": ["Must not be in the past (today is 2026-03-02 for this company)."]
    }
    # ... but still today (18:30) for a company in New York.
    new_york = CompanyFactory(timezone="America/New_York")
    PricingConfigFactory(company=new_york, version=1)
    estimate = estimate_flat(new_york, now=late, move=move)
    # 10 m3: 2.00 h x 90.00 = 180.00; travel 40.00; (18.0 - 15) km x 0.90 = 2.70; a Sunday:
    # 180.00 x 0.15 = 27.00 -> 249.70; tax 49.94
    assert estimate.result.total == Decimal("299.64")


def test_the_quote_expires_after_the_configured_minutes(priced_alice, settings):
    settings.PRICING_QUOTE_TTL_MINUTES = 15

    estimate = estimate_flat(priced_alice.company)

    assert estimate.expires_at == BOOKED + timedelta(minutes=15)


def test_the_example_quote_in_docs_pricing(priced_alice):
    """docs/pricing.md, "One complete example", shows this move and quote: keep in step."""
    move = MoveSpec(
        move_date=date(2027, 2, 13),  # a Saturday, 81 days after the quote
        volume_m3=Decimal("28"),
        inventory=(
            InventoryLine("sofa_3seat"),
            InventoryLine("bed_double", 2),
            InventoryLine("box_medium", 40),
        ),
        stairs_origin=2,
        lift_origin=True,
        stairs_destination=4,
        carry_origin_m=10,
        carry_destination_m=35,
        start_time=time(8, 0),
        packing=True,
    )

    estimate = estimate_flat(
        priced_alice.company, now=datetime(2026, 11, 24, 9, 30, tzinfo=UTC), move=move
    )

    body = estimate.to_dict()
    assert [(line["code"], line["label"], line["amount"]) for line in body.pop("lines")] == [
        ("labour", "Labour, 3 movers", "487.50"),
        ("travel_fee", "Travel and dispatch", "40.00"),
        ("mileage", "Mileage beyond 15 km", "2.70"),
        ("stairs.destination", "Stairs at destination (4 flights)", "60.00"),
        ("long_carry.destination", "Long carry at destination (35 m)", "20.00"),
        ("weekend", "Weekend surcharge (+15% of labour)", "73.13"),
        ("packing", "Packing materials", "168.00"),
        ("early_booking_discount", "Early booking discount (-5% of labour)", "-24.38"),
    ]
    assert body == {
        "company": priced_alice.company.id,
        "subtotal": "826.95",
        "tax": "165.39",
        "total": "992.34",
        "currency": "EUR",
        "estimated_hours": "3.75",
        "crew_size": 3,
        "volume_m3": "28",
        "distance_km": "18.0",
        "pricing_version": 1,
        "expires_at": datetime(2026, 11, 24, 10, 30, tzinfo=UTC),
    }
