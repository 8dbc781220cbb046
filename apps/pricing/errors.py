"""Every error of apps.pricing, and the bridge from the engine's errors to the API envelope.

The engine (apps.pricing.engine) is plain Python: it raises `MoveInvalid` / `RulesInvalid`,
which carry the error locations as tuples (`("surcharges", 2, "per_flight")`), and this module
stays importable without Django settings so the engine can import it. The API-facing errors
(`Invalid`, `PricingNotConfigured`) are in apps.core.errors.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from apps.core.error_details import Loc, dotted, nest_errors


class PricingInvalid(Exception):
    """Input the pricing engine refuses.

    `errors` maps each location (a tuple of keys and list indices) to its messages; `details`
    is the same in the API's nested shape (`{"inventory": [{}, {"quantity": [..]}]}`).
    """

    code = "invalid"

    def __init__(self, errors: Mapping[Loc, list[str]], message: str | None = None):
        self.errors = dict(errors)
        self.message = message or "; ".join(
            f"{dotted(loc) or 'non_field_errors'}: {' '.join(msgs)}"
            for loc, msgs in self.errors.items()
        )
        super().__init__(self.message)

    @property
    def details(self) -> dict[str, Any]:
        return nest_errors(self.errors)


class MoveInvalid(PricingInvalid):
    """The move (or its distance or context) cannot be quoted as given."""


class RulesInvalid(PricingInvalid):
    """A rules document that cannot be used."""


class RouteUnavailable(Exception):
    """The route provider could not give a distance (network, server error, no route)."""


@contextmanager
def engine_errors_as_invalid() -> Iterator[None]:
    """Re-raise the engine's RulesInvalid / MoveInvalid as a 400 `invalid`, details nested.

    apps.core.errors needs Django's settings to import, so it is imported here, when the
    bridge is used (by the services and the API), not when the engine imports this module.
    """
    try:
        yield
    except PricingInvalid as exc:
        from apps.core.errors import Invalid

        raise Invalid("The request is invalid.", details=exc.details) from exc
