"""Surcharge and discount rule types of a rules document, registered by their `type`.

Each rule type is one pydantic model (its schema in the document) with two hooks:

- `validate(config) -> [(location, message), ...]`: cross-field checks that a field annotation
  cannot express (tiers that overlap, an after-hours rule with both a multiplier and a fee).
  Locations are relative to the rule (`("tiers", 1, "from_km")`); `rules_parse` prefixes
  `("surcharges", <i>)`.
- `apply(move, context) -> [LineItem, ...]`: the lines the rule adds to a quote. It runs on
  the parsed, frozen model and must stay cheap: no validation, no model construction.

Multipliers (weekend, holiday, after_hours, demand) are shown as their own line of
labour x (multiplier - 1): quantity = the labour amount, unit_price = the fraction. They add up
on the labour base and do not compound (weekend 1.25 + holiday 1.5 = +25% +50% of labour).
The early booking discount is the same shape with a negative fraction.

Adding a rule type = one class here decorated with `@rule_type`, plus its tests.
"""

from __future__ import annotations

from datetime import date, time
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from apps.pricing.engine.document import (
    DocumentModel,
    ItemCode,
    Kilometres,
    Metres,
    Multiplier,
    Percent,
    PositivePrice,
    RuleErrors,
)
from apps.pricing.engine.values import LineItem, MoveSpec, RuleContext, decimal_text, line_priced

if TYPE_CHECKING:
    from apps.pricing.engine.rules import PricingRules

_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_FRACTION_QUANTUM = Decimal("0.0001")


class SurchargeRule(DocumentModel):
    """Base of the rule types; `type` is the discriminator of the document's `surcharges`."""

    type: str

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        """Cross-field problems as (path relative to this rule, message); empty when valid."""
        return []

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        raise NotImplementedError


RULE_TYPES: dict[str, type[SurchargeRule]] = {}


def rule_type(cls: type[SurchargeRule]) -> type[SurchargeRule]:
    """Class decorator: register a rule type under its `type` literal."""
    name = cls.model_fields["type"].default
    if not isinstance(name, str) or name in RULE_TYPES:
        raise TypeError(f"{cls.__name__} needs a unique default for `type`, got {name!r}")
    RULE_TYPES[name] = cls
    return cls


def _percent_text(fraction: Decimal) -> str:
    """0.25 -> "+25%", -0.05 -> "-5%"."""
    sign = "+" if fraction > 0 else "-"
    return f"{sign}{decimal_text(abs(fraction * _HUNDRED).normalize())}%"


def _labour_share(code: str, label: str, fraction: Decimal, context: RuleContext) -> LineItem:
    return line_priced(
        code=code,
        label=f"{label} ({_percent_text(fraction)} of labour)",
        quantity=context.labour,
        unit_price=fraction,
        quantum=context.quantum,
    )


def _duplicates(values: list, field: str) -> RuleErrors:
    seen: set = set()
    errors: RuleErrors = []
    for index, value in enumerate(values):
        if value in seen:
            errors.append(((field, index), f"Duplicate value {value}."))
        seen.add(value)
    return errors


@rule_type
class StairsRule(SurchargeRule):
    """A price per flight of stairs, per end; no charge at an end with a usable lift."""

    type: Literal["stairs"] = "stairs"
    per_flight: PositivePrice

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        lines = []
        for end, flights, has_lift in (
            ("origin", move.stairs_origin, move.lift_origin),
            ("destination", move.stairs_destination, move.lift_destination),
        ):
            if flights and not has_lift:
                lines.append(
                    line_priced(
                        code=f"stairs.{end}",
                        label=f"Stairs at {end} ({flights} flight{'s' if flights > 1 else ''})",
                        quantity=Decimal(flights),
                        unit_price=self.per_flight,
                        quantum=context.quantum,
                    )
                )
        return lines


@rule_type
class LongCarryRule(SurchargeRule):
    """A price per started `step_m` metres of carry beyond `threshold_m`, per end."""

    type: Literal["long_carry"] = "long_carry"
    threshold_m: Metres
    step_m: Annotated[Decimal, Field(gt=0, le=100, decimal_places=2)] = Decimal(10)
    per_step: PositivePrice

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        lines = []
        for end, carry in (
            ("origin", move.carry_origin_m),
            ("destination", move.carry_destination_m),
        ):
            if carry > self.threshold_m:
                steps = ((carry - self.threshold_m) / self.step_m).to_integral_value(ROUND_CEILING)
                lines.append(
                    line_priced(
                        code=f"long_carry.{end}",
                        label=f"Long carry at {end} ({carry} m)",
                        quantity=steps,
                        unit_price=self.per_step,
                        quantum=context.quantum,
                    )
                )
        return lines


@rule_type
class HeavyItemRule(SurchargeRule):
    """A price per unit of listed item codes (pianos, safes, ...), on top of their volume."""

    type: Literal["heavy_item"] = "heavy_item"
    prices: Annotated[dict[ItemCode, PositivePrice], Field(min_length=1, max_length=100)]

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        prices = self.prices
        counts: dict[str, int] = {}
        for line in move.inventory:
            if line.item in prices:
                counts[line.item] = counts.get(line.item, 0) + line.quantity
        lines = []
        for code, count in counts.items():
            known = context.catalogue.get(code)
            lines.append(
                line_priced(
                    code=f"heavy_item.{code}",
                    label=f"Heavy item: {known[0] if known else code}",
                    quantity=Decimal(count),
                    unit_price=prices[code],
                    quantum=context.quantum,
                )
            )
        return lines


@rule_type
class WeekendRule(SurchargeRule):
    """Labour x (multiplier - 1) on the configured weekdays (Monday=0 ... Sunday=6)."""

    type: Literal["weekend"] = "weekend"
    days: Annotated[list[Annotated[int, Field(ge=0, le=6)]], Field(min_length=1, max_length=7)]
    multiplier: Multiplier

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        return _duplicates(self.days, "days")

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        if move.move_date.weekday() not in self.days:
            return []
        return [_labour_share("weekend", "Weekend surcharge", self.multiplier - _ONE, context)]


@rule_type
class HolidayRule(SurchargeRule):
    """Labour x (multiplier - 1) on the listed dates."""

    type: Literal["holiday"] = "holiday"
    dates: Annotated[list[date], Field(min_length=1, max_length=366)]
    multiplier: Multiplier

    @cached_property
    def date_set(self) -> frozenset[date]:
        return frozenset(self.dates)

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        return _duplicates(self.dates, "dates")

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        if move.move_date not in self.date_set:
            return []
        return [_labour_share("holiday", "Holiday surcharge", self.multiplier - _ONE, context)]


class TimeWindow(DocumentModel):
    """[start, end) in local time; a window with end < start runs past midnight."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


@rule_type
class AfterHoursRule(SurchargeRule):
    """A move starting inside a window gets a labour multiplier or a flat fee (exactly one)."""

    type: Literal["after_hours"] = "after_hours"
    windows: Annotated[list[TimeWindow], Field(min_length=1, max_length=10)]
    multiplier: Multiplier | None = None
    flat_fee: PositivePrice | None = None

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        errors: RuleErrors = []
        if (self.multiplier is None) == (self.flat_fee is None):
            errors.append((("multiplier",), "Give exactly one of multiplier and flat_fee."))
        for index, window in enumerate(self.windows):
            for name in ("start", "end"):
                if getattr(window, name).tzinfo is not None:
                    errors.append((("windows", index, name), "Use local time without offset."))
            if window.start == window.end:
                errors.append((("windows", index, "end"), "Must differ from start."))
        return errors

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        moment = move.start_time
        if moment is None or not any(window.contains(moment) for window in self.windows):
            return []
        if self.multiplier is not None:
            fraction = self.multiplier - _ONE
            return [_labour_share("after_hours", "After-hours surcharge", fraction, context)]
        return [
            line_priced(
                code="after_hours",
                label="After-hours surcharge",
                quantity=_ONE,
                unit_price=self.flat_fee,  # type: ignore[arg-type]  # validate(): flat_fee set when no multiplier
                quantum=context.quantum,
            )
        ]


class DistanceTier(DocumentModel):
    """Kilometres [from_km, to_km) of the route; to_km None = no upper end (last tier only)."""

    from_km: Kilometres
    to_km: Kilometres | None = None
    per_km: PositivePrice | None = None
    flat: PositivePrice | None = None


@rule_type
class DistanceTierRule(SurchargeRule):
    """Progressive distance pricing, like tax brackets.

    A per_km tier charges the kilometres of the route that fall inside it; a flat tier charges
    its price once the route goes beyond its start. So a longer route never costs less.
    """

    type: Literal["distance_tier"] = "distance_tier"
    tiers: Annotated[list[DistanceTier], Field(min_length=1, max_length=20)]

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        errors: RuleErrors = []
        for index, tier in enumerate(self.tiers):
            if (tier.per_km is None) == (tier.flat is None):
                errors.append((("tiers", index), "Give exactly one of per_km and flat."))
            if tier.to_km is not None and tier.to_km <= tier.from_km:
                errors.append((("tiers", index, "to_km"), "Must be greater than from_km."))
        order = sorted(range(len(self.tiers)), key=lambda i: self.tiers[i].from_km)
        for previous, current in pairwise(order):
            before, tier = self.tiers[previous], self.tiers[current]
            if before.to_km is None or before.to_km > tier.from_km:
                end = "no end" if before.to_km is None else f"{before.to_km} km"
                errors.append(
                    (
                        ("tiers", current, "from_km"),
                        f"Overlaps tier {previous} ({before.from_km} km to {end}).",
                    )
                )
        return errors

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        distance = context.distance_km
        lines = []
        for tier in self.tiers:
            if distance <= tier.from_km:
                continue
            span = f"{tier.from_km}-{tier.to_km} km" if tier.to_km is not None else None
            if tier.per_km is not None:
                end = distance if tier.to_km is None else min(distance, tier.to_km)
                quantity, unit_price = end - tier.from_km, tier.per_km
            else:
                quantity, unit_price = _ONE, tier.flat  # type: ignore[assignment]  # validate(): flat set when no per_km
            lines.append(
                line_priced(
                    code="distance_tier",
                    label=f"Distance {span or f'over {tier.from_km} km'}",
                    quantity=quantity,
                    unit_price=unit_price,
                    quantum=context.quantum,
                )
            )
        return lines


@rule_type
class PackingRule(SurchargeRule):
    """Packing materials per cubic metre moved, when the customer asks for packing."""

    type: Literal["packing"] = "packing"
    price_per_m3: PositivePrice

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        if not move.packing:
            return []
        return [
            line_priced(
                code="packing",
                label="Packing materials",
                quantity=context.volume_m3,
                unit_price=self.price_per_m3,
                quantum=context.quantum,
            )
        ]


@rule_type
class DemandRule(SurchargeRule):
    """Surge on labour from the company's utilisation that day.

    Above `threshold` the multiplier grows linearly from 1 to `max_multiplier`, reached at
    `full_at` and capped there. The fraction is rounded half up to 4 decimals.
    """

    type: Literal["demand"] = "demand"
    threshold: Annotated[Decimal, Field(ge=0, lt=1, decimal_places=4)]
    full_at: Annotated[Decimal, Field(gt=0, le=1, decimal_places=4)] = _ONE
    max_multiplier: Multiplier

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        if self.full_at <= self.threshold:
            return [(("full_at",), "Must be greater than threshold.")]
        return []

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        utilisation = context.utilisation
        if utilisation <= self.threshold:
            return []
        ramp = min(_ONE, (utilisation - self.threshold) / (self.full_at - self.threshold))
        fraction = ((self.max_multiplier - _ONE) * ramp).quantize(
            _FRACTION_QUANTUM, rounding=ROUND_HALF_UP
        )
        if not fraction:
            return []
        return [_labour_share("demand", "High-demand surcharge", fraction, context)]


@rule_type
class EarlyBookingDiscountRule(SurchargeRule):
    """`percent` off labour when the move is booked at least `min_days` ahead (negative line)."""

    type: Literal["early_booking_discount"] = "early_booking_discount"
    min_days: Annotated[int, Field(ge=1, le=730)]
    percent: Percent

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        # Two discount lines, each rounded, could take more than the labour they discount
        # (or 101% in total), and then a bigger move would cost less. One rule keeps it at most
        # 100% of labour, and a quote that never gets cheaper when something is added.
        first = next(rule for rule in config.surcharges if rule.type == self.type)
        if first is not self:
            return [(("type",), "Only one early_booking_discount rule per document.")]
        return []

    def apply(self, move: MoveSpec, context: RuleContext) -> list[LineItem]:
        if (move.move_date - context.booked_on).days < self.min_days:
            return []
        fraction = -self.percent / _HUNDRED
        label = "Early booking discount"
        return [_labour_share("early_booking_discount", label, fraction, context)]
