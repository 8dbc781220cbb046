"""Three realistic pricing rules documents (JSON-able dicts) for docs, demo data and tests.

Each one passes `rules_parse`; the golden tests quote a studio, a 3-room flat and a house with
a piano against all three (tests/pricing/test_engine_golden.py).
"""

from __future__ import annotations

from typing import Any

# A two-van family business: low rates, short minimum, charges for stairs, carry and weekends.
SMALL_LOCAL_MOVER: dict[str, Any] = {
    "currency": "EUR",
    "tax_rate_percent": "20",
    "labour": {
        "hourly_rates": {"2": "90.00", "3": "130.00"},
        "crew_bands": [
            {"up_to_m3": "15", "crew_size": 2},
            {"up_to_m3": None, "crew_size": 3},
        ],
        "productivity_m3_per_mover_hour": "2.5",
        "minimum_hours": "2",
    },
    "mileage": {"rate_per_km": "0.90", "free_km": "15"},
    "travel_fee": "40.00",
    "minimum_charge": "180.00",
    "surcharges": [
        {"type": "stairs", "per_flight": "15.00"},
        {"type": "long_carry", "threshold_m": "20", "step_m": "10", "per_step": "10.00"},
        {"type": "heavy_item", "prices": {"piano_upright": "120.00", "safe": "80.00"}},
        {"type": "weekend", "days": [5, 6], "multiplier": "1.15"},
        {"type": "packing", "price_per_m3": "6.00"},
        {"type": "early_booking_discount", "min_days": 30, "percent": "5"},
    ],
}

# A big-city premium mover: larger crews, 3-hour minimum, evening/holiday and demand pricing.
CITY_PREMIUM_MOVER: dict[str, Any] = {
    "currency": "GBP",
    "tax_rate_percent": "20",
    "labour": {
        "hourly_rates": {"2": "110.00", "3": "155.00", "4": "200.00"},
        "crew_bands": [
            {"up_to_m3": "12", "crew_size": 2},
            {"up_to_m3": "30", "crew_size": 3},
            {"up_to_m3": None, "crew_size": 4},
        ],
        "productivity_m3_per_mover_hour": "2.0",
        "minimum_hours": "3",
    },
    "mileage": {"rate_per_km": "1.50", "free_km": "10"},
    "travel_fee": "75.00",
    "minimum_charge": "350.00",
    "surcharges": [
        {"type": "stairs", "per_flight": "25.00"},
        {"type": "long_carry", "threshold_m": "15", "step_m": "10", "per_step": "20.00"},
        {
            "type": "heavy_item",
            "prices": {"piano_upright": "250.00", "piano_grand": "450.00", "safe": "150.00"},
        },
        {"type": "weekend", "days": [5, 6], "multiplier": "1.25"},
        {
            "type": "after_hours",
            "windows": [{"start": "18:00", "end": "08:00"}],
            "multiplier": "1.5",
        },
        {
            "type": "holiday",
            "dates": ["2026-12-25", "2026-12-26", "2027-01-01"],
            "multiplier": "1.5",
        },
        {"type": "demand", "threshold": "0.7", "full_at": "1", "max_multiplier": "1.3"},
        {"type": "packing", "price_per_m3": "9.50"},
    ],
}

# A long-distance specialist: progressive per-km tiers instead of mileage, an overnight flat
# fee beyond 450 km, Sunday surcharge and a discount for booking two months ahead.
LONG_DISTANCE_SPECIALIST: dict[str, Any] = {
    "currency": "EUR",
    "tax_rate_percent": "19",
    "labour": {
        "hourly_rates": {"2": "80.00", "3": "115.00", "4": "150.00"},
        "crew_bands": [
            {"up_to_m3": "15", "crew_size": 2},
            {"up_to_m3": "40", "crew_size": 3},
            {"up_to_m3": None, "crew_size": 4},
        ],
        "productivity_m3_per_mover_hour": "3.0",
        "minimum_hours": "4",
    },
    "mileage": None,
    "travel_fee": "150.00",
    "minimum_charge": "600.00",
    "surcharges": [
        {
            "type": "distance_tier",
            "tiers": [
                {"from_km": "50", "to_km": "300", "per_km": "1.40"},
                {"from_km": "300", "to_km": None, "per_km": "1.10"},
            ],
        },
        {"type": "distance_tier", "tiers": [{"from_km": "450", "flat": "250.00"}]},
        {"type": "stairs", "per_flight": "20.00"},
        {"type": "long_carry", "threshold_m": "20", "step_m": "10", "per_step": "15.00"},
        {
            "type": "heavy_item",
            "prices": {"piano_upright": "300.00", "piano_grand": "600.00", "safe": "200.00"},
        },
        {"type": "weekend", "days": [6], "multiplier": "1.3"},
        {"type": "demand", "threshold": "0.8", "max_multiplier": "1.2"},
        {"type": "packing", "price_per_m3": "8.00"},
        {"type": "early_booking_discount", "min_days": 60, "percent": "10"},
    ],
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "small_local_mover": SMALL_LOCAL_MOVER,
    "city_premium_mover": CITY_PREMIUM_MOVER,
    "long_distance_specialist": LONG_DISTANCE_SPECIALIST,
}
