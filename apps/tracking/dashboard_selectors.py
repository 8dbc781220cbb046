"""Reads behind the managers' live map: every truck of the company with its latest position."""

from __future__ import annotations

from dataclasses import dataclass

from apps.accounts.models import User
from apps.companies.models import Company, Truck
from apps.tracking.models import TruckLastPosition
from apps.tracking.selectors import fleet_last_positions


@dataclass(frozen=True)
class MapTruck:
    """A truck on the map: its latest fix, or None while it has never reported."""

    truck: Truck
    last: TruckLastPosition | None


def live_map_trucks(*, user: User, company: Company) -> list[MapTruck]:
    """The company's trucks that are not retired, plus any retired one that reported, by plate.

    Positions come from `fleet_last_positions` (the same read as the fleet socket's snapshot and
    `GET /companies/{id}/fleet/positions/`), so its staff-only rule applies here too.
    """
    last_by_truck = {
        last.truck_id: last for last in fleet_last_positions(user=user, company_id=company.pk)
    }
    trucks = Truck.objects.filter(company=company).order_by("plate", "id")
    return [
        MapTruck(truck=truck, last=last_by_truck.get(truck.pk))
        for truck in trucks
        if truck.status != Truck.Status.RETIRED or truck.pk in last_by_truck
    ]
