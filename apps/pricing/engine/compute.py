"""`quote_compute`: a pure function from (rules, move, distance, context) to an itemised quote.

No Django, database, clock or network in here: the caller resolves the company's rules
(`rules_parse`, once per rules version), the route distance (a RouteProvider) and today's date.

How a quote is built. The volume is move.volume_m3 if given, else the sum over the inventory of
(the line's own volume_m3, else the catalogue's) x quantity; an unknown item code without its
own volume is refused (MoveInvalid at ("inventory", <i>, "item")). Then, in line order:

1. labour: crew from the volume's crew band; hours = max(minimum_hours,
   volume / (productivity x crew)) rounded UP to the quarter hour; amount = hours x the whole
   crew's hourly rate (see rules.py for why rates are per crew, not per mover).
2. travel_fee (flat), then mileage: (distance - free_km) x rate_per_km when positive.
3. the surcharge/discount rules in document order (surcharges.py). Multipliers are separate
   lines of labour x (multiplier - 1), never folded into the labour line.
4. If the subtotal is below the minimum charge, a `minimum_charge_adjustment` line brings it up
   to it. Discounts never make a quote negative: a document may hold one early booking
   discount of at most 100% of labour, and should a subtotal still be negative (rules that
   skipped validation, e.g. `model_copy(update=...)`) a `discount_limit` line clamps it to 0.

Money is Decimal throughout, in a private decimal context (so a caller's context cannot change
results). Rounding is ROUND_HALF_UP to the currency's minor unit, once per line:
amount = round(quantity x unit_price). subtotal = sum of line amounts (exact, no rounding);
tax = round(subtotal x tax_rate_percent / 100); total = subtotal + tax.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext

from apps.core.error_details import Loc
from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE, CatalogueItem
from apps.pricing.engine.rules import PricingRules, labour_quarters
from apps.pricing.engine.values import (
    DECIMAL_CONTEXT,
    LineItem,
    MoveSpec,
    QuoteContext,
    QuoteResult,
    RuleContext,
    decimal_text,
)
from apps.pricing.errors import MoveInvalid

_ZERO = Decimal(0)
_ONE = Decimal(1)
_QUARTER = Decimal("0.25")
_MAX_DISTANCE_KM = Decimal(40_000)


def quote_compute(
    *,
    rules: PricingRules,
    move: MoveSpec,
    distance_km: Decimal,
    context: QuoteContext,
    catalogue: Mapping[str, CatalogueItem] = DEFAULT_CATALOGUE,
) -> QuoteResult:
    """Price `move` over `distance_km` of road with `rules`; raise MoveInvalid if it cannot."""
    if (
        not isinstance(distance_km, Decimal)
        or not distance_km.is_finite()
        or not _ZERO <= distance_km <= _MAX_DISTANCE_KM
    ):
        raise MoveInvalid({("distance_km",): [f"Must be a Decimal from 0 to {_MAX_DISTANCE_KM}."]})
    if move.move_date < context.booked_on:
        raise MoveInvalid({("move_date",): ["Must not be before the booking date."]})
    with localcontext(DECIMAL_CONTEXT):
        return _compute(rules, move, distance_km, context, catalogue)


def inventory_volume(
    *, move: MoveSpec, catalogue: Mapping[str, CatalogueItem] = DEFAULT_CATALOGUE
) -> Decimal:
    """The move's volume: given, or each inventory line's (own or catalogue) volume x quantity."""
    if move.volume_m3 is not None:
        return move.volume_m3
    total = _ZERO
    unknown: dict[Loc, list[str]] = {}
    for index, line in enumerate(move.inventory):
        volume = line.volume_m3
        if volume is None:
            known = catalogue.get(line.item)
            if known is None:
                unknown[("inventory", index, "item")] = [
                    f"Unknown item {line.item!r}: give its volume_m3."
                ]
                continue
            volume = known[1]
        total += volume * line.quantity
    if unknown:
        raise MoveInvalid(unknown)
    return total


def _compute(
    rules: PricingRules,
    move: MoveSpec,
    distance_km: Decimal,
    context: QuoteContext,
    catalogue: Mapping[str, CatalogueItem],
) -> QuoteResult:
    plan = rules.plan
    quantum = plan.quantum
    volume = inventory_volume(move=move, catalogue=catalogue)

    # The last band is open-ended (a validated rule), so this always breaks with a crew.
    for up_to_m3, crew, rate, capacity, label in plan.crew_bands:  # noqa: B007
        if up_to_m3 is None or volume <= up_to_m3:
            break
    quarters = labour_quarters(volume_m3=volume, capacity=capacity, min_quarters=plan.min_quarters)
    hours = quarters * _QUARTER
    labour = (hours * rate).quantize(quantum, rounding=ROUND_HALF_UP)
    lines = [LineItem("labour", label, hours, rate, labour)]

    if plan.travel_fee:
        fee = plan.travel_fee
        amount = fee.quantize(quantum, rounding=ROUND_HALF_UP)
        lines.append(LineItem("travel_fee", "Travel and dispatch", _ONE, fee, amount))
    billable_km = distance_km - plan.free_km
    if plan.mileage_rate and billable_km > _ZERO:
        amount = (billable_km * plan.mileage_rate).quantize(quantum, rounding=ROUND_HALF_UP)
        label = f"Mileage beyond {decimal_text(plan.free_km)} km" if plan.free_km else "Mileage"
        lines.append(LineItem("mileage", label, billable_km, plan.mileage_rate, amount))

    if plan.rules:
        rule_context = RuleContext(
            context.booked_on,
            context.utilisation,
            volume,
            distance_km,
            crew,
            hours,
            labour,
            quantum,
            catalogue,
        )
        for rule in plan.rules:
            lines += rule.apply(move, rule_context)

    subtotal = _ZERO
    for line in lines:
        subtotal += line.amount
    if subtotal < plan.minimum_charge:
        gap = plan.minimum_charge - subtotal
        if plan.minimum_charge:
            lines.append(LineItem("minimum_charge_adjustment", "Minimum charge", _ONE, gap, gap))
        else:  # negative: only discounts that bypassed rules_parse's checks get here
            lines.append(LineItem("discount_limit", "Discounts capped at zero", _ONE, gap, gap))
        subtotal = plan.minimum_charge
    tax = (subtotal * plan.tax_fraction).quantize(quantum, rounding=ROUND_HALF_UP)
    return QuoteResult(
        lines=tuple(lines),
        subtotal=subtotal,
        tax=tax,
        total=subtotal + tax,
        currency=plan.currency,
        estimated_hours=hours,
        crew_size=crew,
        volume_m3=volume,
    )
