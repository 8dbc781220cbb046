"""Value types of the quote engine: the move, the quoting context, line items and the result.

These are slotted dataclasses and named tuples, not pydantic models: they are built once per
request (inputs) or many times per quote (line items), and the engine's hot path must not pay
for validation machinery. Inputs validate themselves cheaply in `__post_init__` and raise
`MoveInvalid` with the location of each problem (`("inventory", 3, "quantity")`) like the
rules document does. The limits are the API's (apps.core.limits).

Money is `Decimal` everywhere; `quantum_for` gives the currency's minor unit (ISO 4217 table
in apps.core.money, shared with the rest of the project).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from decimal import ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow
from typing import Any, NamedTuple

from apps.core import money
from apps.core.error_details import Loc
from apps.core.limits import (
    MAX_CARRY_M,
    MAX_ITEM_NAME_LENGTH,
    MAX_QUANTITY,
    MAX_STAIRS_FLIGHTS,
    MAX_VOLUME_M3,
    MIN_QUANTITY,
    VOLUME_DECIMAL_PLACES,  # litres; keeps "just above a crew band boundary" exact (rules.py)
)
from apps.pricing.errors import MoveInvalid

# Pricing arithmetic runs in this context, whatever the caller's thread context is.
DECIMAL_CONTEXT = Context(
    prec=28, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow]
)


def minor_units(currency: str) -> int:
    """Number of decimals of `currency`'s minor unit (ISO 4217, from apps.core.money).

    apps.core.money is plain Python (no Django), so the engine stays Django-free. A rules
    document only accepts currencies listed there; an unknown code here is a KeyError.
    """
    return money.minor_units(currency)


def quantum_for(currency: str) -> Decimal:
    """The quantize exponent of `currency`: Decimal("0.01") for EUR, Decimal("1") for JPY."""
    return Decimal(1).scaleb(-minor_units(currency))


def money_round(amount: Decimal, quantum: Decimal) -> Decimal:
    """Round half up (away from zero on ties) to the currency's minor unit."""
    return amount.quantize(quantum, rounding=ROUND_HALF_UP)


def decimal_text(value: Decimal) -> str:
    """A decimal as plain text, never in exponent notation ("1E+2" -> "100")."""
    return f"{value:f}"


class LineItem(NamedTuple):
    """One line of a quote; `amount` == money_round(quantity * unit_price) by construction."""

    code: str
    label: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "label": self.label,
            "quantity": decimal_text(self.quantity),
            "unit_price": decimal_text(self.unit_price),
            "amount": decimal_text(self.amount),
        }


def line_priced(
    *, code: str, label: str, quantity: Decimal, unit_price: Decimal, quantum: Decimal
) -> LineItem:
    """A line whose amount is quantity x unit price, rounded once to the currency's minor unit."""
    amount = (quantity * unit_price).quantize(quantum, rounding=ROUND_HALF_UP)
    return LineItem(code, label, quantity, unit_price, amount)


@dataclass(frozen=True, slots=True)
class InventoryLine:
    """`quantity` x catalogue item `item`; `volume_m3` (per unit) overrides the catalogue."""

    item: str
    quantity: int = 1
    volume_m3: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MoveSpec:
    """What is moved, and how hard the two ends are to work at."""

    move_date: date
    inventory: tuple[InventoryLine, ...] = ()
    volume_m3: Decimal | None = None  # None: the inventory's volume
    stairs_origin: int = 0  # flights without a usable lift
    stairs_destination: int = 0
    lift_origin: bool = False
    lift_destination: bool = False
    carry_origin_m: int = 0  # truck to door, metres
    carry_destination_m: int = 0
    start_time: time | None = None  # local time at the origin
    packing: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.inventory, list):
            object.__setattr__(self, "inventory", tuple(self.inventory))
        errors: dict[Loc, list[str]] = {}
        if not isinstance(self.move_date, date) or hasattr(self.move_date, "hour"):
            errors[("move_date",)] = ["Must be a date (YYYY-MM-DD)."]
        if self.volume_m3 is not None:
            _check_volume(errors, ("volume_m3",), self.volume_m3)
        elif not self.inventory:
            errors[("volume_m3",)] = ["Give volume_m3 or a non-empty inventory."]
        for index, line in enumerate(self.inventory):
            _check_inventory_line(errors, ("inventory", index), line)
        for name in ("stairs_origin", "stairs_destination"):
            _check_int(errors, (name,), getattr(self, name), 0, MAX_STAIRS_FLIGHTS)
        for name in ("carry_origin_m", "carry_destination_m"):
            _check_int(errors, (name,), getattr(self, name), 0, MAX_CARRY_M)
        for name in ("lift_origin", "lift_destination", "packing"):
            if not isinstance(getattr(self, name), bool):
                errors[(name,)] = ["Must be true or false."]
        if self.start_time is not None and (
            not isinstance(self.start_time, time) or self.start_time.tzinfo is not None
        ):
            errors[("start_time",)] = ["Must be a local time without an offset."]
        if errors:
            raise MoveInvalid(errors)


@dataclass(frozen=True, slots=True)
class QuoteContext:
    """Facts about the moment of quoting that are not part of the move."""

    booked_on: date
    utilisation: Decimal = Decimal(0)  # the company's own truck utilisation that day, 0..1

    def __post_init__(self) -> None:
        errors: dict[Loc, list[str]] = {}
        if not isinstance(self.booked_on, date) or hasattr(self.booked_on, "hour"):
            errors[("booked_on",)] = ["Must be a date (YYYY-MM-DD)."]
        if not isinstance(self.utilisation, Decimal) or not 0 <= self.utilisation <= 1:
            errors[("utilisation",)] = ["Must be a Decimal between 0 and 1."]
        if errors:
            raise MoveInvalid(errors)


class RuleContext(NamedTuple):
    """What a surcharge rule may look at besides the move: the context plus the base quote."""

    booked_on: date
    utilisation: Decimal
    volume_m3: Decimal
    distance_km: Decimal
    crew_size: int
    hours: Decimal
    labour: Decimal  # the labour line's amount: the base of multipliers and labour discounts
    quantum: Decimal
    catalogue: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class QuoteResult:
    """An itemised quote. `subtotal` == sum(line amounts); `total` == subtotal + tax."""

    lines: tuple[LineItem, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    currency: str
    estimated_hours: Decimal
    crew_size: int
    volume_m3: Decimal

    def to_dict(self) -> dict[str, Any]:
        """The API's quote shape, docs/api.md (callers add "company" and "expires_at")."""
        return {
            "lines": [line.to_dict() for line in self.lines],
            "subtotal": decimal_text(self.subtotal),
            "tax": decimal_text(self.tax),
            "total": decimal_text(self.total),
            "currency": self.currency,
            "estimated_hours": decimal_text(self.estimated_hours),
            "crew_size": self.crew_size,
            "volume_m3": decimal_text(self.volume_m3),
        }


def _check_int(errors: dict[Loc, list[str]], loc: Loc, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[loc] = [f"Must be a whole number from {low} to {high}."]


def _check_volume(errors: dict[Loc, list[str]], loc: Loc, value: Any) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 < value <= MAX_VOLUME_M3:
        errors[loc] = [f"Must be a Decimal greater than 0 and at most {MAX_VOLUME_M3}."]
    elif value.as_tuple().exponent < -VOLUME_DECIMAL_PLACES:  # type: ignore[operator]  # finite: an int
        errors[loc] = [f"At most {VOLUME_DECIMAL_PLACES} decimal places."]


def _check_inventory_line(errors: dict[Loc, list[str]], loc: Loc, line: Any) -> None:
    if not isinstance(line, InventoryLine):
        errors[loc] = ["Must be an InventoryLine."]
        return
    if not isinstance(line.item, str) or not 0 < len(line.item) <= MAX_ITEM_NAME_LENGTH:
        errors[(*loc, "item")] = [
            f"Must be an item code of 1 to {MAX_ITEM_NAME_LENGTH} characters."
        ]
    _check_int(errors, (*loc, "quantity"), line.quantity, MIN_QUANTITY, MAX_QUANTITY)
    if line.volume_m3 is not None:
        _check_volume(errors, (*loc, "volume_m3"), line.volume_m3)
