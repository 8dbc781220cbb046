"""Route search: direct trips and one-stop itineraries between two hubs on a local date.

`routes_search` is a selector (no cache here; apps/cargo/route_cache.py caches its rendered
results). The whole search, one-stop join included, is one SQL statement; the trips it names
are then fetched in one more query. The rules, also in docs/cargo-search.md:

- `date` is the first leg's local departure date at the origin hub (`Trip.departs_on_local`,
  set when the trip is published from the origin hub's time zone).
- A one-stop itinerary is origin -> X on that date, then X -> destination leaving at least the
  minimum connection time (CARGO_MIN_CONNECTION, 2 h) and at most
  CARGO_MAX_CONNECTION (48 h) after the first leg arrives, both bounds included; X is
  an active hub other than the two ends.
- Every leg is `scheduled`, sold by a verified company, leaves in the future, has at least the
  requested volume AND weight left; both legs have the same currency.
- Price: the sum of the legs' `leg_price` (apps/cargo/pricing.py). Sorted by arrival, then
  price, then departure, then trip ids; at most MAX_RESULTS itineraries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.cargo.models import Hub, Trip, TripStatus
from apps.cargo.pricing import leg_price
from apps.companies.models import Company
from apps.core.errors import NotFound

MAX_RESULTS = 50


def min_connection() -> timedelta:
    """The shortest change of truck at a hub (CARGO_MIN_CONNECTION; env in minutes, 120)."""
    return settings.CARGO_MIN_CONNECTION


def max_connection() -> timedelta:
    """The longest wait at a hub between two legs (CARGO_MAX_CONNECTION; env in minutes, 48 h)."""
    return settings.CARGO_MAX_CONNECTION


@dataclass(frozen=True)
class Itinerary:
    """One way to ship: one trip, or two with a change of truck at a hub; price in `currency`."""

    legs: tuple[Trip, ...]
    price: Decimal
    currency: str

    @property
    def departs_at(self) -> datetime:
        return self.legs[0].departs_at

    @property
    def arrives_at(self) -> datetime:
        return self.legs[-1].arrives_at


def hubs_get_for_search(*, origin_code: str, destination_code: str) -> tuple[Hub, Hub]:
    """The two active hubs of a search, by code; NotFound naming the first unknown one."""
    hubs = {
        hub.code: hub
        for hub in Hub.objects.filter(code__in=[origin_code, destination_code], is_active=True)
    }
    for field, code in (("origin", origin_code), ("destination", destination_code)):
        if code not in hubs:
            raise NotFound(f"No hub {code}.", details={field: code})
    return hubs[origin_code], hubs[destination_code]


def _leg_fits(trip: str, company: str) -> str:
    """SQL: trip alias `trip` (of company alias `company`) can carry the request now."""
    return f"""
        {trip}.status = %(scheduled)s
        AND {trip}.departs_at > %(now)s
        AND {company}.verification_status = %(verified)s
        AND {trip}.capacity_m3 - {trip}.sold_m3 >= %(volume)s
        AND {trip}.capacity_kg - {trip}.sold_kg >= %(weight)s"""


def _leg_price(trip: str) -> str:
    """SQL: the leg's price by the rule of apps.cargo.pricing.leg_price."""
    return f"GREATEST({trip}.min_charge, ROUND(%(volume)s * {trip}.price_per_m3, 2))"


TRIP, COMPANY, HUB = Trip._meta.db_table, Company._meta.db_table, Hub._meta.db_table

# The first leg is found through (origin_hub, departs_on_local); the second through
# (origin_hub, departs_at) with the connection window as the range: both indexes of Trip.
# Only table names and fixed aliases are formatted in; every value is a query parameter.
ROUTES_SQL = f"""
SELECT first.id AS first_id, NULL::bigint AS second_id, first.arrives_at AS arrives_at,
       {_leg_price("first")} AS price, first.departs_at AS departs_at
FROM {TRIP} AS first
JOIN {COMPANY} AS first_company ON first_company.id = first.company_id
WHERE first.origin_hub_id = %(origin)s
  AND first.departs_on_local = %(date)s
  AND first.destination_hub_id = %(destination)s
  AND {_leg_fits("first", "first_company")}
UNION ALL
SELECT first.id, second.id, second.arrives_at,
       {_leg_price("first")} + {_leg_price("second")}, first.departs_at
FROM {TRIP} AS first
JOIN {COMPANY} AS first_company ON first_company.id = first.company_id
JOIN {HUB} AS stop ON stop.id = first.destination_hub_id AND stop.is_active
JOIN {TRIP} AS second
  ON second.origin_hub_id = first.destination_hub_id
 AND second.departs_at >= first.arrives_at + %(min_connection)s
 AND second.departs_at <= first.arrives_at + %(max_connection)s
JOIN {COMPANY} AS second_company ON second_company.id = second.company_id
WHERE first.origin_hub_id = %(origin)s
  AND first.departs_on_local = %(date)s
  AND first.destination_hub_id <> %(destination)s
  AND second.destination_hub_id = %(destination)s
  AND second.currency = first.currency
  AND {_leg_fits("first", "first_company")}
  AND {_leg_fits("second", "second_company")}
ORDER BY arrives_at, price, departs_at, first_id, second_id NULLS FIRST
LIMIT %(limit)s
"""  # noqa: S608


def routes_search_params(
    *, origin: Hub, destination: Hub, date: date, volume_m3: Decimal, weight_kg: Decimal
) -> dict:
    """The parameters of ROUTES_SQL for one search (the benchmark replays the bare SQL)."""
    return {
        "origin": origin.pk,
        "destination": destination.pk,
        "date": date,
        "volume": Decimal(volume_m3),
        "weight": Decimal(weight_kg),
        "now": timezone.now(),
        "scheduled": TripStatus.SCHEDULED.value,
        "verified": Company.VerificationStatus.VERIFIED.value,
        "min_connection": min_connection(),
        "max_connection": max_connection(),
        "limit": MAX_RESULTS,
    }


def routes_search(
    *, origin: Hub, destination: Hub, date: date, volume_m3: Decimal, weight_kg: Decimal
) -> list[Itinerary]:
    """Direct and one-stop itineraries from `origin` to `destination` whose first leg leaves
    on local `date`, with room for `volume_m3` and `weight_kg` on every leg (rules above)."""
    if origin.pk == destination.pk:
        return []
    params = routes_search_params(
        origin=origin, destination=destination, date=date, volume_m3=volume_m3, weight_kg=weight_kg
    )
    with connection.cursor() as cursor:
        cursor.execute(ROUTES_SQL, params)
        rows = cursor.fetchall()
    ids = {trip_id for row in rows for trip_id in row[:2] if trip_id is not None}
    trips = Trip.objects.select_related("origin_hub", "destination_hub", "company").in_bulk(ids)
    itineraries = []
    for first_id, second_id, *_ in rows:
        legs = (trips[first_id],) if second_id is None else (trips[first_id], trips[second_id])
        itineraries.append(
            Itinerary(
                legs=legs,
                price=sum((leg_price(leg, volume_m3) for leg in legs), Decimal("0.00")),
                currency=legs[0].currency,
            )
        )
    return itineraries
