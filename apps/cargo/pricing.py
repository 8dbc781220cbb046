"""What one leg of a shipment costs: the one price rule route search and reservation share."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

# Trip prices are stored with 2 decimals (price_per_m3, min_charge) and so are shipment prices:
# a leg's price is rounded to the cent, half up, whatever the currency.
CENT = Decimal("0.01")


class PricedTrip(Protocol):
    price_per_m3: Decimal
    min_charge: Decimal


def leg_price(trip: PricedTrip, volume_m3: Decimal) -> Decimal:
    """max(min_charge, volume_m3 * price_per_m3), rounded half up to the cent.

    The route-search SQL orders itineraries by the same rule
    (`GREATEST(min_charge, ROUND(volume * price_per_m3, 2))`: PostgreSQL rounds numeric halves
    away from zero, which is half up for these non-negative amounts).
    """
    amount = (Decimal(volume_m3) * trip.price_per_m3).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(trip.min_charge, amount).quantize(CENT, rounding=ROUND_HALF_UP)
