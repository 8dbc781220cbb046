"""The optional `cancellation` block of a rules document and the fee it charges.

    "cancellation": {"notice_hours": 48, "fee_percent": "20", "fee": "30.00"}

A customer who cancels less than `notice_hours` before the move starts owes `fee` (flat) plus
`fee_percent` of the booking's total, capped at that total and rounded to the currency's minor
unit. At least one of `fee` and `fee_percent` is required. Without the block (every version
stored before it existed) cancelling is free.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING, Annotated

from pydantic import Field, model_validator

from apps.pricing.engine.document import DocumentModel, Percent, PositivePrice, RuleErrors
from apps.pricing.engine.values import DECIMAL_CONTEXT, minor_units, money_round, quantum_for

if TYPE_CHECKING:
    from apps.pricing.engine.rules import PricingRules

_HUNDRED = Decimal(100)
MAX_NOTICE_HOURS = 24 * 30


class Cancellation(DocumentModel):
    notice_hours: Annotated[int, Field(ge=1, le=MAX_NOTICE_HOURS)]
    fee_percent: Percent | None = None
    fee: PositivePrice | None = None

    @model_validator(mode="after")
    def _some_fee(self) -> Cancellation:
        if self.fee_percent is None and self.fee is None:
            raise ValueError("Give fee_percent, fee or both.")
        return self

    def validate(self, config: PricingRules) -> RuleErrors:  # type: ignore[override]  # our check, not pydantic's deprecated classmethod
        places = minor_units(config.currency)
        if self.fee is not None and self.fee.as_tuple().exponent < -places:  # type: ignore[operator]  # finite: an int
            return [(("fee",), f"At most {places} decimal places in {config.currency}.")]
        return []


def cancellation_fee(
    *,
    policy: Cancellation | None,
    total: Decimal,
    currency: str,
    cancelled_at: datetime,
    starts_at: datetime,
) -> Decimal | None:
    """The fee for cancelling at `cancelled_at` a move starting at `starts_at`; None if free."""
    if policy is None or starts_at - cancelled_at >= timedelta(hours=policy.notice_hours):
        return None
    with localcontext(DECIMAL_CONTEXT):
        quantum = quantum_for(currency)
        fee = policy.fee or Decimal(0)
        if policy.fee_percent is not None:
            fee += total * policy.fee_percent / _HUNDRED
        return money_round(min(fee, total), quantum)
