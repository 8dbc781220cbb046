"""The pricing rules document: pydantic schema, cross-field checks, and `rules_parse`.

A company's rules are one JSON document (see apps/pricing/examples.py for three full ones):

    {"currency": "EUR", "tax_rate_percent": "20",
     "labour": {"hourly_rates": {"2": "90.00", "3": "130.00"},
                "crew_bands": [{"up_to_m3": "15", "crew_size": 2},
                               {"up_to_m3": null, "crew_size": 3}],
                "productivity_m3_per_mover_hour": "2.5", "minimum_hours": "2"},
     "mileage": {"rate_per_km": "0.90", "free_km": "15"},
     "travel_fee": "40.00", "minimum_charge": "180.00",
     "surcharges": [{"type": "stairs", "per_flight": "15.00"}, ...],
     "cancellation": {"notice_hours": 48, "fee_percent": "20"}}

`cancellation` is optional (engine/cancellation.py): the fee a customer owes for cancelling
within the notice period. It does not change quotes; bookings read it from the version their
quote was priced with.

Labour design: `hourly_rates` maps a crew size to the price of one hour of that whole crew
(not per mover), because that is how movers publish prices ("2 men and a van: 90/h") and it
lets a company price bigger crews below or above the per-mover rate. The crew comes from
`crew_bands`: the first band whose `up_to_m3` is >= the move's volume (the last band is
open-ended, `null`). Hours: volume / (productivity x crew), at least `minimum_hours`, rounded
up to the quarter hour.

`rules_parse` validates in two steps and reports every problem at its location
(`("surcharges", 2, "per_flight")`, `("labour", "hourly_rates", "4")`; the API nests them as
`{"surcharges": [{}, {}, {"per_flight": [..]}]}`): field constraints by pydantic, then the
`validate(config)` hooks of the labour block and of every surcharge rule. Two checks keep the
promise that a quote never gets cheaper when a box is added: a bigger crew finishes sooner, so
with whole-crew rates and quarter-hour rounding a move just above a band boundary could cost
less labour than one just below it (refused, naming the hourly rate that would fix it); and
only one early booking discount is allowed, since several separately rounded discount lines can
take more than the labour they discount.

Valid documents are compiled once (`PricingRules.plan`) into the plain values the engine reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from functools import cached_property
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import AfterValidator, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from apps.core.error_details import Loc
from apps.core.money import is_currency
from apps.pricing.engine.cancellation import Cancellation
from apps.pricing.engine.document import DocumentModel, Kilometres, PositivePrice, Price, RuleErrors
from apps.pricing.engine.surcharges import RULE_TYPES, SurchargeRule
from apps.pricing.engine.values import DECIMAL_CONTEXT, minor_units, quantum_for
from apps.pricing.errors import RulesInvalid

_QUARTER = Decimal("0.25")
_FOUR = Decimal(4)

CrewSize = Annotated[int, Field(ge=1, le=12)]
if TYPE_CHECKING:  # the union is built from the registry at run time; statically, a rule
    AnyRule = SurchargeRule
else:
    AnyRule = Annotated[Union[tuple(RULE_TYPES.values())], Field(discriminator="type")]  # noqa: UP007


def labour_quarters(*, volume_m3: Decimal, capacity: Decimal, min_quarters: Decimal) -> Decimal:
    """Quarter hours of work: volume / capacity (m3 per crew-hour), rounded up, at least min."""
    quarters = (volume_m3 * _FOUR / capacity).to_integral_value(ROUND_CEILING)
    return quarters if quarters > min_quarters else min_quarters


class CrewBand(DocumentModel):
    up_to_m3: Annotated[Decimal, Field(gt=0, le=1_000, decimal_places=3)] | None = None
    crew_size: CrewSize


class Labour(DocumentModel):
    hourly_rates: Annotated[dict[CrewSize, PositivePrice], Field(min_length=1, max_length=12)]
    crew_bands: Annotated[list[CrewBand], Field(min_length=1, max_length=12)]
    productivity_m3_per_mover_hour: Annotated[Decimal, Field(gt=0, le=50, decimal_places=3)]
    minimum_hours: Annotated[Decimal, Field(ge=0, le=24, decimal_places=2)] = Decimal(0)

    @property
    def min_quarters(self) -> Decimal:
        return (self.minimum_hours * _FOUR).to_integral_value(ROUND_CEILING)

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        errors: RuleErrors = []
        bands, last = self.crew_bands, len(self.crew_bands) - 1
        for index, band in enumerate(bands):
            if band.crew_size not in self.hourly_rates:
                errors.append(
                    (
                        ("hourly_rates", str(band.crew_size)),  # a key of the JSON object
                        f"Field required: crew_bands.{index} sends {band.crew_size} movers.",
                    )
                )
            if (band.up_to_m3 is None) != (index == last):
                message = (
                    "The last band must be open-ended (null) so every volume gets a crew."
                    if index == last
                    else "Only the last band may be open-ended (null)."
                )
                errors.append((("crew_bands", index, "up_to_m3"), message))
            if index == 0:
                continue
            previous = bands[index - 1]
            if (
                previous.up_to_m3 is not None
                and band.up_to_m3 is not None
                and band.up_to_m3 <= previous.up_to_m3
            ):
                errors.append(
                    (("crew_bands", index, "up_to_m3"), "Must be greater than the band before.")
                )
            if band.crew_size < previous.crew_size:
                errors.append(
                    (
                        ("crew_bands", index, "crew_size"),
                        "Must not be smaller than the band before.",
                    )
                )
        return errors or self._boundary_errors(quantum_for(config.currency))

    def _boundary_errors(self, quantum: Decimal) -> RuleErrors:
        """Refuse bands where a slightly bigger volume would get a cheaper labour line."""
        errors: RuleErrors = []
        productivity, min_quarters = self.productivity_m3_per_mover_hour, self.min_quarters
        for index, (band, bigger) in enumerate(pairwise(self.crew_bands)):
            boundary, crew, next_crew = band.up_to_m3, band.crew_size, bigger.crew_size
            assert boundary is not None  # checked above: only the last band is open
            rate, next_rate = self.hourly_rates[crew], self.hourly_rates[next_crew]
            hours = _QUARTER * labour_quarters(
                volume_m3=boundary, capacity=productivity * crew, min_quarters=min_quarters
            )
            cost = (hours * rate).quantize(quantum, rounding=ROUND_HALF_UP)
            # Any volume above the boundary needs strictly more than boundary/capacity hours.
            exact = (boundary * _FOUR / (productivity * next_crew)).to_integral_value(ROUND_FLOOR)
            next_hours = _QUARTER * max(min_quarters, exact + 1)
            next_cost = (next_hours * next_rate).quantize(quantum, rounding=ROUND_HALF_UP)
            if next_cost < cost:
                needed = (cost / next_hours).quantize(quantum, rounding=ROUND_CEILING)
                errors.append(
                    (
                        ("crew_bands", index, "up_to_m3"),
                        f"Just above {boundary} m3 the crew grows from {crew} to {next_crew} "
                        f"movers and labour drops from {cost} ({hours} h) to {next_cost} "
                        f"({next_hours} h): raise hourly_rates.{next_crew} to at least "
                        f"{needed} or move this boundary.",
                    )
                )
        return errors


class Mileage(DocumentModel):
    rate_per_km: PositivePrice
    free_km: Kilometres = Decimal(0)


@dataclass(frozen=True, slots=True)
class QuotePlan:
    """A valid document compiled into the plain values the engine's hot path reads."""

    currency: str
    quantum: Decimal
    # (up_to_m3 or None, crew size, hourly rate, m3 per crew-hour, labour line label)
    crew_bands: tuple[tuple[Decimal | None, int, Decimal, Decimal, str], ...]
    min_quarters: Decimal
    mileage_rate: Decimal
    free_km: Decimal
    travel_fee: Decimal
    minimum_charge: Decimal
    tax_fraction: Decimal
    rules: tuple[SurchargeRule, ...]


def _check_currency(code: str) -> str:
    if not is_currency(code):
        raise PydanticCustomError("currency", "Not an ISO 4217 currency in circulation.")
    return code


class PricingRules(DocumentModel):
    """A company's pricing rules; build it with `rules_parse`."""

    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_check_currency)]
    tax_rate_percent: Annotated[Decimal, Field(ge=0, le=100, decimal_places=3)]
    labour: Labour
    mileage: Mileage | None = None
    travel_fee: Price = Decimal(0)
    minimum_charge: Price = Decimal(0)
    surcharges: Annotated[list[AnyRule], Field(max_length=50)] = []
    cancellation: Cancellation | None = None

    def consistency_errors(self) -> dict[Loc, list[str]]:
        """Every cross-field problem of the document, by location."""
        found: RuleErrors = [
            (("labour", *loc), message) for loc, message in self.labour.validate(self)
        ]
        if self.minimum_charge.as_tuple().exponent < -minor_units(self.currency):  # type: ignore[operator]  # finite: an int
            found.append(
                (
                    ("minimum_charge",),
                    f"At most {minor_units(self.currency)} decimal places in {self.currency}.",
                )
            )
        for index, rule in enumerate(self.surcharges):
            found += [(("surcharges", index, *loc), msg) for loc, msg in rule.validate(self)]
        if (cancellation := self.cancellation) is not None:
            found += [(("cancellation", *loc), msg) for loc, msg in cancellation.validate(self)]
        errors: dict[Loc, list[str]] = {}
        for loc, message in found:
            errors.setdefault(loc, []).append(message)
        return errors

    @model_validator(mode="after")
    def _check_consistency(self) -> PricingRules:
        with localcontext(DECIMAL_CONTEXT):
            errors = self.consistency_errors()
            if errors:
                # pydantic's error context wants string keys: the locations travel as pairs.
                raise PydanticCustomError(
                    "rules_inconsistent",
                    "The rules are inconsistent.",
                    {"errors": list(errors.items())},
                )
            _ = self.plan  # compile once, while parsing
        return self

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> PricingRules:
        """A copy (pydantic does not re-validate `update`) that compiles its own plan."""
        copied = super().model_copy(update=update, deep=deep)
        copied.__dict__.pop("plan", None)
        return copied

    @cached_property
    def plan(self) -> QuotePlan:
        labour = self.labour
        productivity = labour.productivity_m3_per_mover_hour
        quantum = quantum_for(self.currency)
        return QuotePlan(
            currency=self.currency,
            quantum=quantum,
            crew_bands=tuple(
                (
                    band.up_to_m3,
                    band.crew_size,
                    labour.hourly_rates[band.crew_size],
                    productivity * band.crew_size,
                    f"Labour, {band.crew_size} mover{'s' if band.crew_size > 1 else ''}",
                )
                for band in labour.crew_bands
            ),
            min_quarters=labour.min_quarters,
            mileage_rate=self.mileage.rate_per_km if self.mileage else Decimal(0),
            free_km=self.mileage.free_km if self.mileage else Decimal(0),
            travel_fee=self.travel_fee,
            minimum_charge=self.minimum_charge.quantize(quantum),  # exact: checked above
            tax_fraction=self.tax_rate_percent / Decimal(100),
            rules=tuple(self.surcharges),
        )


def rules_parse(document: Mapping[str, Any], *, currency: str | None = None) -> PricingRules:
    """Validate a rules document; raise RulesInvalid with every problem at its location.

    `currency` is the company's: it fills a document without one and refuses a different one.
    """
    if currency is not None and isinstance(document, Mapping):
        given = document.get("currency")
        if given is None:
            document = {**document, "currency": currency}
        elif given != currency:
            raise RulesInvalid({("currency",): [f"Must be the company's currency, {currency}."]})
    try:
        return PricingRules.model_validate(document)
    except ValidationError as exc:
        raise RulesInvalid(_errors_from(exc)) from exc


def _errors_from(exc: ValidationError) -> dict[Loc, list[str]]:
    """pydantic's errors by location, the discriminated union's tag and dict-key markers left
    out of the locations (the API nests them: apps.core.error_details)."""
    errors: dict[Loc, list[str]] = {}
    for error in exc.errors(include_url=False):
        if error["type"] == "rules_inconsistent":
            for loc, messages in error["ctx"]["errors"]:
                errors.setdefault(loc, []).extend(messages)
            continue
        loc, message = _location(error["loc"]), error["msg"]
        if error["type"] == "union_tag_invalid":
            loc = (*loc, "type")
            message = f"Unknown rule type {error['ctx']['tag']!r}; known: {', '.join(RULE_TYPES)}."
        elif error["type"] == "union_tag_not_found":
            loc = (*loc, "type")
            message = f"Field required: one of {', '.join(RULE_TYPES)}."
        errors.setdefault(loc, []).append(message)
    return errors


def _location(loc: tuple[int | str, ...]) -> Loc:
    """("surcharges", 2, "stairs", "per_flight") -> ("surcharges", 2, "per_flight")."""
    parts: list[int | str] = []
    for index, part in enumerate(loc):
        if part == "[key]":
            continue  # a dict key's own error: reported at the key
        if index >= 2 and loc[index - 2] == "surcharges" and isinstance(loc[index - 1], int):
            continue  # the discriminated union's tag, e.g. "stairs"
        parts.append(part)
    return tuple(parts)
