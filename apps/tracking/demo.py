"""Demo fleet positions for seed_demo: a truck that never reported is shown parked at its base.

Only trucks without a last position get one (at their home location, or the company's base),
so a rerun never moves a truck the demo driver simulator has moved since.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.gis.geos import Point
from django.utils import timezone

from apps.companies.models import Company, Truck
from apps.tracking.models import TruckLastPosition

PARKING_SPACING_DEGREES = 0.002  # about 150 m of longitude at Lyon


def demo_fleet_positions_ensure(*, company: Company, now: datetime | None = None) -> int:
    """Park each of the company's silent trucks at its base; returns how many were placed."""
    now = now or timezone.now()
    placed = 0
    silent = Truck.objects.filter(company=company).exclude(
        pk__in=TruckLastPosition.objects.filter(company=company).values("truck_id")
    )
    for index, truck in enumerate(silent.order_by("id")):
        base = truck.home_location or company.base_location
        # Side by side in the yard, not stacked on one pixel.
        point = Point(base.x + index * PARKING_SPACING_DEGREES, base.y, srid=4326)
        TruckLastPosition.objects.create(
            truck=truck, company=company, point=point, recorded_at=now, last_seen_at=now
        )
        placed += 1
    return placed
