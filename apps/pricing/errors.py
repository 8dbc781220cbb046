"""Domain errors of apps.pricing, and the bridge from the engine's errors to the API envelope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from apps.core.errors import Conflict, Invalid
from apps.pricing.quote import PricingInvalid


class PricingNotConfigured(Conflict):
    """409: the company has no usable pricing rules, so it cannot quote yet."""

    code = "pricing_not_configured"
    default_message = "This company has not set up its pricing yet."


@contextmanager
def engine_errors_as_invalid() -> Iterator[None]:
    """Re-raise the engine's RulesInvalid / MoveInvalid as a 400 `invalid` with their paths.

    The engine stays Django-free, so it cannot raise apps.core.errors itself; its dotted field
    paths ("surcharges.2.per_flight", "inventory.3.item") become the envelope's `details`.
    """
    try:
        yield
    except PricingInvalid as exc:
        raise Invalid("The request is invalid.", details=exc.details) from exc
