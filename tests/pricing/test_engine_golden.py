"""Golden quotes: three example companies x three homes, every line checked by hand.

Lines are compared as (code, quantity, unit_price, amount) text, so the scale ("180.00") is
checked too. Each amount carries its arithmetic; amounts round half up to the cent once per
line, the subtotal is the plain sum, tax = round(subtotal x rate).
"""

from __future__ import annotations

from datetime import date, time
from decimal import ROUND_DOWN, Decimal, localcontext

from apps.pricing.engine import quote_compute
from apps.pricing.engine.rules import rules_parse
from apps.pricing.engine.surcharges import EarlyBookingDiscountRule
from apps.pricing.engine.values import InventoryLine, MoveSpec, QuoteContext, QuoteResult
from apps.pricing.examples import CITY_PREMIUM_MOVER, LONG_DISTANCE_SPECIALIST, SMALL_LOCAL_MOVER

D = Decimal

# A studio, 3rd floor without lift -> ground floor: 8.90 m3 from the catalogue
# (1.80 + 1.50 + 1.50 + 1.00 + 2 x 0.20 + 0.80 + 0.50 + 0.20 + 20 x 0.06 = 8.90).
# Tuesday 2026-03-10 at 09:00, booked 18 days ahead, company 40% busy.
STUDIO = MoveSpec(
    move_date=date(2026, 3, 10),
    inventory=(
        InventoryLine("bed_double"),
        InventoryLine("sofa_2seat"),
        InventoryLine("wardrobe"),
        InventoryLine("dining_table"),
        InventoryLine("chair", 2),
        InventoryLine("fridge"),
        InventoryLine("washing_machine"),
        InventoryLine("tv"),
        InventoryLine("box_medium", 20),
    ),
    stairs_origin=3,
    carry_origin_m=10,
    carry_destination_m=25,
    start_time=time(9, 0),
)
STUDIO_CONTEXT = QuoteContext(booked_on=date(2026, 2, 20), utilisation=D("0.40"))

# A 3-room flat, customer's own estimate 28 m3; lift at the origin (2 flights not charged),
# 4 flights at the destination, 35 m carry there. Saturday 2026-05-16 at 08:00, with packing,
# booked 76 days ahead, company 75% busy.
FLAT = MoveSpec(
    move_date=date(2026, 5, 16),
    volume_m3=D("28"),
    inventory=(InventoryLine("sofa_3seat"), InventoryLine("bed_double", 2)),
    stairs_origin=2,
    lift_origin=True,
    stairs_destination=4,
    carry_origin_m=10,
    carry_destination_m=35,
    start_time=time(8, 0),
    packing=True,
)
FLAT_CONTEXT = QuoteContext(booked_on=date(2026, 3, 1), utilisation=D("0.75"))

# A house with an upright piano and a safe: 33.000 m3 =
# 1.50 + 2.00 + 2x0.80 + 2x1.80 + 2x1.00 + 3x1.50 + 3x0.60 + 1.00 + 6x0.20 + 2x0.80 + 0.80
# + 1.20 + 0.50 + 0.50 + 2x0.20 + 40x0.10 + 30x0.06 + 0.50 + 2.500 (shed, own volume).
# 1 flight at origin, 2 at destination, carries of 25 m and 45 m. Friday 2027-01-01 (New
# Year) at 18:30, with packing, booked 2026-10-15 (78 days ahead), company 85% busy.
HOUSE = MoveSpec(
    move_date=date(2027, 1, 1),
    inventory=(
        InventoryLine("piano_upright"),
        InventoryLine("sofa_3seat"),
        InventoryLine("armchair", 2),
        InventoryLine("bed_double", 2),
        InventoryLine("bed_single", 2),
        InventoryLine("wardrobe", 3),
        InventoryLine("chest_of_drawers", 3),
        InventoryLine("dining_table"),
        InventoryLine("chair", 6),
        InventoryLine("bookcase", 2),
        InventoryLine("desk"),
        InventoryLine("fridge_freezer_large"),
        InventoryLine("washing_machine"),
        InventoryLine("tumble_dryer"),
        InventoryLine("tv", 2),
        InventoryLine("box_large", 40),
        InventoryLine("box_medium", 30),
        InventoryLine("safe"),
        InventoryLine("garden_shed_panels", 1, D("2.500")),
    ),
    stairs_origin=1,
    stairs_destination=2,
    carry_origin_m=25,
    carry_destination_m=45,
    start_time=time(18, 30),
    packing=True,
)
HOUSE_CONTEXT = QuoteContext(booked_on=date(2026, 10, 15), utilisation=D("0.85"))


def quote(document: dict, move: MoveSpec, km: str, context: QuoteContext) -> QuoteResult:
    return quote_compute(rules=rules_parse(document), move=move, distance_km=D(km), context=context)


def lines_of(result: QuoteResult) -> list[tuple[str, str, str, str]]:
    return [
        (line.code, str(line.quantity), str(line.unit_price), str(line.amount))
        for line in result.lines
    ]


def summary_of(result: QuoteResult) -> tuple[str, ...]:
    return tuple(
        str(value)
        for value in (
            result.subtotal,
            result.tax,
            result.total,
            result.currency,
            result.estimated_hours,
            result.crew_size,
            result.volume_m3,
        )
    )


# --- small local mover: EUR, VAT 20%, 2 movers 90.00/h up to 15 m3 else 3 movers 130.00/h,
# 2.5 m3 per mover-hour, min 2 h, mileage 0.90/km beyond 15 km, travel 40.00, min 180.00.


def test_small_local_mover_quotes_the_studio():
    result = quote(SMALL_LOCAL_MOVER, STUDIO, "6.5", STUDIO_CONTEXT)

    assert lines_of(result) == [
        # 8.90 m3 -> 2 movers; 8.90 / (2.5 x 2) = 1.78 h -> minimum 2 h; 2.00 x 90.00
        ("labour", "2.00", "90.00", "180.00"),
        ("travel_fee", "1", "40.00", "40.00"),
        # 6.5 km <= 15 free km: no mileage line
        ("stairs.origin", "3", "15.00", "45.00"),  # 3 x 15.00
        ("long_carry.destination", "1", "10.00", "10.00"),  # 25 - 20 m = 5 m -> 1 started 10 m
    ]
    # 180.00 + 40.00 + 45.00 + 10.00 = 275.00; tax 275.00 x 0.20 = 55.00
    assert summary_of(result) == ("275.00", "55.00", "330.00", "EUR", "2.00", "2", "8.90")


def test_small_local_mover_quotes_the_flat():
    result = quote(SMALL_LOCAL_MOVER, FLAT, "18.0", FLAT_CONTEXT)

    assert lines_of(result) == [
        # 28 m3 > 15 -> 3 movers; 28 / (2.5 x 3) = 3.733 h -> 3.75 h; 3.75 x 130.00
        ("labour", "3.75", "130.00", "487.50"),
        ("travel_fee", "1", "40.00", "40.00"),
        ("mileage", "3.0", "0.90", "2.70"),  # (18.0 - 15) km x 0.90
        ("stairs.destination", "4", "15.00", "60.00"),  # origin has a lift; 4 x 15.00
        ("long_carry.destination", "2", "10.00", "20.00"),  # 35 - 20 = 15 m -> 2 steps
        ("weekend", "487.50", "0.15", "73.13"),  # Saturday: 487.50 x 0.15 = 73.125 -> 73.13
        ("packing", "28", "6.00", "168.00"),  # 28 m3 x 6.00
        # 76 days >= 30: 487.50 x -0.05 = -24.375 -> -24.38 (half up, away from zero)
        ("early_booking_discount", "487.50", "-0.05", "-24.38"),
    ]
    # 487.50 + 40.00 + 2.70 + 60.00 + 20.00 + 73.13 + 168.00 - 24.38 = 826.95
    # tax 826.95 x 0.20 = 165.39; total 992.34
    assert summary_of(result) == ("826.95", "165.39", "992.34", "EUR", "3.75", "3", "28")


def test_small_local_mover_quotes_the_house_with_a_piano():
    result = quote(SMALL_LOCAL_MOVER, HOUSE, "27.4", HOUSE_CONTEXT)

    assert lines_of(result) == [
        # 33 m3 -> 3 movers; 33 / 7.5 = 4.4 h -> 4.50 h; 4.50 x 130.00
        ("labour", "4.50", "130.00", "585.00"),
        ("travel_fee", "1", "40.00", "40.00"),
        ("mileage", "12.4", "0.90", "11.16"),  # (27.4 - 15) x 0.90
        ("stairs.origin", "1", "15.00", "15.00"),
        ("stairs.destination", "2", "15.00", "30.00"),
        ("long_carry.origin", "1", "10.00", "10.00"),  # 25 - 20 = 5 m -> 1 step
        ("long_carry.destination", "3", "10.00", "30.00"),  # 45 - 20 = 25 m -> 3 steps
        ("heavy_item.piano_upright", "1", "120.00", "120.00"),
        ("heavy_item.safe", "1", "80.00", "80.00"),
        # Friday: no weekend line
        ("packing", "33.000", "6.00", "198.00"),  # 33.000 x 6.00
        ("early_booking_discount", "585.00", "-0.05", "-29.25"),  # 78 days; 585.00 x -0.05
    ]
    # 585 + 40 + 11.16 + 15 + 30 + 10 + 30 + 120 + 80 + 198 - 29.25 = 1089.91
    # tax 1089.91 x 0.20 = 217.982 -> 217.98; total 1307.89
    assert summary_of(result) == ("1089.91", "217.98", "1307.89", "EUR", "4.50", "3", "33.000")


# --- city premium mover: GBP, VAT 20%, 2/3/4 movers at 110/155/200 per hour up to 12/30/any
# m3, 2.0 m3 per mover-hour, min 3 h, mileage 1.50/km beyond 10 km, travel 75.00, min 350.00.


def test_city_premium_mover_quotes_the_studio():
    result = quote(CITY_PREMIUM_MOVER, STUDIO, "4.2", STUDIO_CONTEXT)

    assert lines_of(result) == [
        # 8.90 m3 -> 2 movers; 8.90 / 4 = 2.225 h -> 2.25 h -> minimum 3 h; 3.00 x 110.00
        ("labour", "3.00", "110.00", "330.00"),
        ("travel_fee", "1", "75.00", "75.00"),
        ("stairs.origin", "3", "25.00", "75.00"),
        ("long_carry.destination", "1", "20.00", "20.00"),  # 25 - 15 = 10 m -> 1 step
        # 09:00 on a Tuesday at 40% utilisation: no after-hours, weekend or demand line
    ]
    # 330 + 75 + 75 + 20 = 500.00; tax 100.00
    assert summary_of(result) == ("500.00", "100.00", "600.00", "GBP", "3.00", "2", "8.90")


def test_city_premium_mover_quotes_the_flat():
    result = quote(CITY_PREMIUM_MOVER, FLAT, "11.8", FLAT_CONTEXT)

    assert lines_of(result) == [
        # 28 m3 -> 3 movers; 28 / 6 = 4.667 h -> 4.75 h; 4.75 x 155.00
        ("labour", "4.75", "155.00", "736.25"),
        ("travel_fee", "1", "75.00", "75.00"),
        ("mileage", "1.8", "1.50", "2.70"),  # (11.8 - 10) x 1.50
        ("stairs.destination", "4", "25.00", "100.00"),
        ("long_carry.destination", "2", "20.00", "40.00"),  # 35 - 15 = 20 m -> 2 steps
        ("weekend", "736.25", "0.25", "184.06"),  # 736.25 x 0.25 = 184.0625
        # 08:00 is the end of the 18:00-08:00 window (excluded): no after-hours line.
        # demand: (0.75 - 0.7) / (1 - 0.7) = 1/6 of the way to +30% -> +5.00%
        ("demand", "736.25", "0.0500", "36.81"),  # 736.25 x 0.05 = 36.8125
        ("packing", "28", "9.50", "266.00"),
    ]
    # 736.25 + 75 + 2.70 + 100 + 40 + 184.06 + 36.81 + 266 = 1440.82
    # tax 1440.82 x 0.20 = 288.164 -> 288.16; total 1728.98
    assert summary_of(result) == ("1440.82", "288.16", "1728.98", "GBP", "4.75", "3", "28")


def test_city_premium_mover_quotes_the_house_with_a_piano():
    result = quote(CITY_PREMIUM_MOVER, HOUSE, "9.0", HOUSE_CONTEXT)

    assert lines_of(result) == [
        # 33 m3 > 30 -> 4 movers; 33 / 8 = 4.125 h -> 4.25 h; 4.25 x 200.00
        ("labour", "4.25", "200.00", "850.00"),
        ("travel_fee", "1", "75.00", "75.00"),
        # 9.0 km <= 10 free km: no mileage line
        ("stairs.origin", "1", "25.00", "25.00"),
        ("stairs.destination", "2", "25.00", "50.00"),
        ("long_carry.origin", "1", "20.00", "20.00"),  # 25 - 15 = 10 m -> 1 step
        ("long_carry.destination", "3", "20.00", "60.00"),  # 45 - 15 = 30 m -> 3 steps
        ("heavy_item.piano_upright", "1", "250.00", "250.00"),
        ("heavy_item.safe", "1", "150.00", "150.00"),
        ("after_hours", "850.00", "0.5", "425.00"),  # 18:30 in 18:00-08:00; 850 x 0.5
        ("holiday", "850.00", "0.5", "425.00"),  # 2027-01-01; adds to, not compounds with, above
        ("demand", "850.00", "0.1500", "127.50"),  # (0.85 - 0.7) / 0.3 = 1/2 of +30%
        ("packing", "33.000", "9.50", "313.50"),  # 33 x 9.50
    ]
    # 850 + 75 + 25 + 50 + 20 + 60 + 250 + 150 + 425 + 425 + 127.50 + 313.50 = 2771.00
    # tax 2771.00 x 0.20 = 554.20
    assert summary_of(result) == ("2771.00", "554.20", "3325.20", "GBP", "4.25", "4", "33.000")


# --- long-distance specialist: EUR, VAT 19%, 2/3/4 movers at 80/115/150 up to 15/40/any m3,
# 3.0 m3 per mover-hour, min 4 h, no mileage but progressive tiers (50-300 km at 1.40,
# 300+ km at 1.10) and 250.00 flat beyond 450 km, travel 150.00, min 600.00.


def test_long_distance_specialist_quotes_the_studio():
    result = quote(LONG_DISTANCE_SPECIALIST, STUDIO, "182.0", STUDIO_CONTEXT)

    assert lines_of(result) == [
        # 8.90 m3 -> 2 movers; 8.90 / 6 = 1.48 h -> minimum 4 h; 4.00 x 80.00
        ("labour", "4.00", "80.00", "320.00"),
        ("travel_fee", "1", "150.00", "150.00"),
        ("distance_tier", "132.0", "1.40", "184.80"),  # (182.0 - 50) km x 1.40
        ("stairs.origin", "3", "20.00", "60.00"),
        ("long_carry.destination", "1", "15.00", "15.00"),
    ]
    # 320 + 150 + 184.80 + 60 + 15 = 729.80; tax 729.80 x 0.19 = 138.662 -> 138.66
    assert summary_of(result) == ("729.80", "138.66", "868.46", "EUR", "4.00", "2", "8.90")


def test_long_distance_specialist_quotes_the_flat():
    result = quote(LONG_DISTANCE_SPECIALIST, FLAT, "465.0", FLAT_CONTEXT)

    assert lines_of(result) == [
        # 28 m3 -> 3 movers; 28 / 9 = 3.11 h -> minimum 4 h; 4.00 x 115.00
        ("labour", "4.00", "115.00", "460.00"),
        ("travel_fee", "1", "150.00", "150.00"),
        ("distance_tier", "250", "1.40", "350.00"),  # 300 - 50 km x 1.40
        ("distance_tier", "165.0", "1.10", "181.50"),  # (465.0 - 300) km x 1.10
        ("distance_tier", "1", "250.00", "250.00"),  # beyond 450 km: flat
        ("stairs.destination", "4", "20.00", "80.00"),
        ("long_carry.destination", "2", "15.00", "30.00"),  # 35 - 20 = 15 m -> 2 steps
        # Saturday is not a weekend day here (Sunday only); 75% <= 80% demand threshold
        ("packing", "28", "8.00", "224.00"),
        ("early_booking_discount", "460.00", "-0.1", "-46.00"),  # 76 days >= 60
    ]
    # 460 + 150 + 350 + 181.50 + 250 + 80 + 30 + 224 - 46 = 1679.50
    # tax 1679.50 x 0.19 = 319.105 -> 319.11 (half up); total 1998.61
    assert summary_of(result) == ("1679.50", "319.11", "1998.61", "EUR", "4.00", "3", "28")


def test_long_distance_specialist_quotes_the_house_with_a_piano():
    result = quote(LONG_DISTANCE_SPECIALIST, HOUSE, "812.5", HOUSE_CONTEXT)

    assert lines_of(result) == [
        # 33 m3 -> 3 movers; 33 / 9 = 3.67 h -> 3.75 h -> minimum 4 h; 4.00 x 115.00
        ("labour", "4.00", "115.00", "460.00"),
        ("travel_fee", "1", "150.00", "150.00"),
        ("distance_tier", "250", "1.40", "350.00"),  # 50-300 km
        ("distance_tier", "512.5", "1.10", "563.75"),  # (812.5 - 300) x 1.10
        ("distance_tier", "1", "250.00", "250.00"),  # beyond 450 km
        ("stairs.origin", "1", "20.00", "20.00"),
        ("stairs.destination", "2", "20.00", "40.00"),
        ("long_carry.origin", "1", "15.00", "15.00"),  # 5 m beyond 20 m
        ("long_carry.destination", "3", "15.00", "45.00"),  # 25 m beyond 20 m
        ("heavy_item.piano_upright", "1", "300.00", "300.00"),
        ("heavy_item.safe", "1", "200.00", "200.00"),
        ("demand", "460.00", "0.0500", "23.00"),  # (0.85 - 0.8) / 0.2 = 1/4 of +20%
        ("packing", "33.000", "8.00", "264.00"),
        ("early_booking_discount", "460.00", "-0.1", "-46.00"),  # 78 days >= 60
    ]
    # 460 + 150 + 350 + 563.75 + 250 + 20 + 40 + 15 + 45 + 300 + 200 + 23 + 264 - 46 = 2634.75
    # tax 2634.75 x 0.19 = 500.6025 -> 500.60; total 3135.35
    assert summary_of(result) == ("2634.75", "500.60", "3135.35", "EUR", "4.00", "3", "33.000")


# --- edges of the same arithmetic


def test_a_small_job_is_lifted_to_the_minimum_charge():
    move = MoveSpec(move_date=date(2026, 3, 10), volume_m3=D("0.5"))

    result = quote(LONG_DISTANCE_SPECIALIST, move, "3.0", STUDIO_CONTEXT)

    assert lines_of(result) == [
        ("labour", "4.00", "80.00", "320.00"),  # minimum 4 h x 80.00
        ("travel_fee", "1", "150.00", "150.00"),
        ("minimum_charge_adjustment", "1", "130.00", "130.00"),  # 600.00 - 470.00
    ]
    # subtotal = the minimum 600.00; tax 600.00 x 0.19 = 114.00
    assert summary_of(result) == ("600.00", "114.00", "714.00", "EUR", "4.00", "2", "0.5")


def test_discounts_that_bypassed_validation_still_cannot_make_a_quote_negative():
    # rules_parse allows one early booking discount (at most 100% of labour); model_copy with
    # `update` skips validation, so the engine's own floor at zero is what is tested here.
    rules = rules_parse({**SMALL_LOCAL_MOVER, "travel_fee": "0", "minimum_charge": "0"})
    discount = EarlyBookingDiscountRule(min_days=10, percent=D("60"))
    rules = rules.model_copy(update={"surcharges": [discount, discount]})

    result = quote_compute(rules=rules, move=STUDIO, distance_km=D("6.5"), context=STUDIO_CONTEXT)

    assert lines_of(result) == [
        ("labour", "2.00", "90.00", "180.00"),
        ("early_booking_discount", "180.00", "-0.6", "-108.00"),  # 18 days >= 10
        ("early_booking_discount", "180.00", "-0.6", "-108.00"),
        ("discount_limit", "1", "36.00", "36.00"),  # 180 - 108 - 108 = -36.00 -> back to 0
    ]
    assert summary_of(result) == ("0.00", "0.00", "0.00", "EUR", "2.00", "2", "8.90")


def test_the_callers_decimal_context_does_not_change_a_quote():
    expected = quote(CITY_PREMIUM_MOVER, FLAT, "11.8", FLAT_CONTEXT)

    with localcontext() as context:
        context.prec, context.rounding = 4, ROUND_DOWN
        result = quote(CITY_PREMIUM_MOVER, FLAT, "11.8", FLAT_CONTEXT)

    assert result == expected
    assert str(result.total) == "1728.98"


def test_quote_to_dict_has_the_design_shape_with_decimal_strings():
    result = quote(SMALL_LOCAL_MOVER, STUDIO, "6.5", STUDIO_CONTEXT)

    assert result.to_dict() == {
        "lines": [
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
    }
    assert list(result.to_dict()) == [
        "lines",
        "subtotal",
        "tax",
        "total",
        "currency",
        "estimated_hours",
        "crew_size",
        "volume_m3",
    ]
