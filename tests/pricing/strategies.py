"""Hypothesis strategies for the pricing tests: valid rules documents, moves and contexts."""

from __future__ import annotations

import functools
import itertools
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from hypothesis import strategies as st

from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE
from apps.pricing.engine.rules import PricingRules, rules_parse
from apps.pricing.engine.values import InventoryLine, MoveSpec, QuoteContext, quantum_for

D = Decimal


@functools.cache  # building strategies is costly; each is reused across draws
def decimals(low: str, high: str, places: int) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=D(low), max_value=D(high), places=places)


def money(low: str, high: str, currency: str) -> st.SearchStrategy[Decimal]:
    return decimals(low, high, -quantum_for(currency).as_tuple().exponent)


CREWS = st.sets(st.integers(1, 6), min_size=1, max_size=3)
CURRENCIES = st.sampled_from(["EUR", "GBP", "JPY", "KWD", "USD"])
INVENTORY = st.lists(
    st.builds(
        InventoryLine,
        st.sampled_from(sorted(DEFAULT_CATALOGUE)),
        st.integers(1, 20),
        st.none() | decimals("0.01", "3", 3),
    ),
    max_size=40,
)
STAIRS = st.integers(0, 30)
CARRY_M = st.integers(0, 200)
MOVE_DATES = st.dates(date(2026, 1, 1), date(2027, 12, 31))
START_TIMES = st.none() | st.times().map(lambda moment: moment.replace(microsecond=0))
DAYS_AHEAD = st.integers(0, 400)


@functools.cache
def labour_blocks(currency: str) -> st.SearchStrategy[dict]:
    return _labour_blocks(currency)


@functools.cache
def mileages(currency: str) -> st.SearchStrategy[dict | None]:
    return st.none() | st.fixed_dictionaries(
        {
            "rate_per_km": money("0.1", "3", currency).map(str),
            "free_km": decimals("0", "30", 1).map(str),
        }
    )


@st.composite
def _labour_blocks(draw, currency: str) -> dict:
    """Crew bands whose labour never drops at a boundary, by construction.

    Each bigger crew's rate is the smaller crew's per-mover rate x (1 + growth), and each
    boundary B satisfies growth x B / (productivity x crew) >= 0.25 h: the extra per-mover
    rate then pays for up to a quarter hour that rounding gave the smaller crew.
    """
    quantum = quantum_for(currency)
    productivity = draw(decimals("1.0", "4.0", 1))
    growth = draw(decimals("0.3", "0.6", 2))
    crews = sorted(draw(CREWS))
    rate = draw(money("20", "90", currency)) * crews[0]
    rates = {crews[0]: rate}
    for smaller, bigger in itertools.pairwise(crews):
        rate = (rate * bigger / smaller * (1 + growth)).quantize(quantum, ROUND_CEILING)
        rates[bigger] = rate
    bands, floor = [], D(0)
    for crew in crews[:-1]:
        lowest = (D("0.25") * productivity * crew / growth).to_integral_value(ROUND_CEILING)
        floor = max(floor, lowest) + draw(decimals("0.5", "30", 1))
        bands.append({"up_to_m3": str(floor), "crew_size": crew})
    bands.append({"up_to_m3": None, "crew_size": crews[-1]})
    return {
        "hourly_rates": {str(crew): str(value) for crew, value in rates.items()},
        "crew_bands": bands,
        "productivity_m3_per_mover_hour": str(productivity),
        "minimum_hours": str(draw(decimals("0", "4", 2))),
    }


@functools.cache
def any_rule(currency: str) -> st.SearchStrategy[dict]:
    return st.one_of(rule_strategies(currency))


def rule_strategies(currency: str) -> list[st.SearchStrategy[dict]]:
    price = money("1", "60", currency).map(str)
    multiplier = decimals("1.05", "2", 2).map(str)
    return [
        st.fixed_dictionaries({"type": st.just("stairs"), "per_flight": price}),
        st.fixed_dictionaries(
            {
                "type": st.just("long_carry"),
                "threshold_m": decimals("0", "30", 0).map(str),
                "step_m": decimals("5", "20", 0).map(str),
                "per_step": price,
            }
        ),
        st.dictionaries(
            st.sampled_from(["piano_upright", "piano_grand", "safe"]), price, min_size=1
        ).map(lambda prices: {"type": "heavy_item", "prices": prices}),
        st.fixed_dictionaries(
            {
                "type": st.just("weekend"),
                "days": st.sets(st.integers(0, 6), min_size=1).map(sorted),
                "multiplier": multiplier,
            }
        ),
        st.tuples(st.integers(0, 23), st.integers(1, 23), st.booleans(), price, multiplier).map(
            lambda t: {
                "type": "after_hours",
                "windows": [{"start": f"{t[0]:02}:00", "end": f"{(t[0] + t[1]) % 24:02}:00"}],
                **({"multiplier": t[4]} if t[2] else {"flat_fee": t[3]}),
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("holiday"),
                "dates": st.sets(
                    st.dates(date(2026, 1, 1), date(2027, 12, 31)), min_size=1, max_size=5
                ).map(lambda days: sorted(map(str, days))),
                "multiplier": multiplier,
            }
        ),
        st.tuples(
            st.sets(st.integers(0, 1500), min_size=1, max_size=4).map(sorted),
            st.booleans(),
            st.lists(st.tuples(st.booleans(), price), min_size=5, max_size=5),
        ).map(lambda t: {"type": "distance_tier", "tiers": _tiers(*t)}),
        st.fixed_dictionaries({"type": st.just("packing"), "price_per_m3": price}),
        st.tuples(decimals("0", "0.9", 2), decimals("0.01", "1", 2), multiplier).map(
            lambda t: {
                "type": "demand",
                "threshold": str(t[0]),
                "full_at": str(min(D(1), t[0] + t[1])),
                "max_multiplier": t[2],
            }
        ),
        st.fixed_dictionaries(
            {
                "type": st.just("early_booking_discount"),
                "min_days": st.integers(1, 120),
                "percent": decimals("1", "100", 1).map(str),
            }
        ),
    ]


def _tiers(cuts: list[int], open_end: bool, prices: list[tuple[bool, str]]) -> list[dict]:
    """Non-overlapping tiers between sorted cut points, the last one open or not."""
    edges: list[int | None] = [*cuts, None] if open_end or len(cuts) == 1 else cuts
    tiers = []
    for (start, end), (per_km, price) in zip(itertools.pairwise(edges), prices, strict=False):
        tier = {"from_km": str(start), "to_km": None if end is None else str(end)}
        tier["per_km" if per_km else "flat"] = price
        tiers.append(tier)
    return tiers


@st.composite
def documents(draw) -> dict:
    currency = draw(CURRENCIES)
    rules = draw(st.lists(any_rule(currency), max_size=8))
    discounts = [rule for rule in rules if rule["type"] == "early_booking_discount"]
    rules = [rule for rule in rules if rule["type"] != "early_booking_discount"] + discounts[:1]
    return {
        "currency": currency,
        "tax_rate_percent": str(draw(decimals("0", "30", 1))),
        "labour": draw(labour_blocks(currency)),
        "mileage": draw(mileages(currency)),
        "travel_fee": str(draw(money("0", "200", currency))),
        "minimum_charge": str(draw(money("0", "800", currency))),
        "surcharges": rules,
    }


@st.composite
def moves(draw) -> MoveSpec:
    inventory = draw(INVENTORY)
    volume = draw(decimals("0.001", "200", 3)) if not inventory or draw(st.booleans()) else None
    return MoveSpec(
        move_date=draw(MOVE_DATES),
        inventory=tuple(inventory),
        volume_m3=volume,
        stairs_origin=draw(STAIRS),
        stairs_destination=draw(STAIRS),
        lift_origin=draw(st.booleans()),
        lift_destination=draw(st.booleans()),
        carry_origin_m=draw(CARRY_M),
        carry_destination_m=draw(CARRY_M),
        start_time=draw(START_TIMES),
        packing=draw(st.booleans()),
    )


DOCUMENTS = documents()
MOVES = moves()


@st.composite
def quote_inputs(draw) -> tuple[PricingRules, MoveSpec, Decimal, QuoteContext]:
    rules = rules_parse(draw(DOCUMENTS))  # a generated document must be accepted
    move = draw(MOVES)
    context = QuoteContext(
        booked_on=move.move_date - timedelta(days=draw(DAYS_AHEAD)),
        utilisation=draw(decimals("0", "1", 2)),
    )
    return rules, move, draw(decimals("0", "2000", 1)), context


QUOTE_INPUTS = quote_inputs()
