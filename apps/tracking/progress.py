"""A booking's progress from a new position: ETA, distance remaining, arrival noticed once.

Interface used by the ingest's flush (synchronous, inside no transaction). Implementation pending
(the watching work); until then it adds nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def position_progress(
    *, booking_id: int, lat: float, lng: float, recorded_at: datetime
) -> dict[str, Any]:
    """Extra fields for the booking's `position` event: {"eta_minutes", "distance_remaining_km"}
    when known (recomputed at most every 30 s per booking), else {}. May record an arrival
    (ArrivalNotice + `arriving` BookingEvent + a `status` event) exactly once per stop."""
    return {}
