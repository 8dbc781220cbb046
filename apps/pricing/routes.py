"""Road distances for quotes: the route providers, and the one chosen in settings.

PRICING_ROUTE_PROVIDER is "geodesic" (great circle x PRICING_ROAD_FACTOR, offline) or "osrm"
(PRICING_OSRM_URL). When OSRM cannot answer, `route_distance_km` falls back to the geodesic
estimate (logged as a warning) rather than refusing the customer: an estimate is indicative.

Providers take (lat, lng) tuples in WGS84 degrees and return kilometres as a Decimal rounded
half up to 0.1 km. Geometry uses floats (this is not money); the result is a Decimal so the
engine never sees a float.

- `GeodesicRouteProvider`: great-circle (haversine) distance x a road factor; offline, instant.
- `OsrmRouteProvider`: driving distance from an OSRM server; raises `RouteUnavailable` when the
  server cannot answer, so callers can fall back to the geodesic estimate or refuse the quote.
"""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

import httpx
import structlog
from django.conf import settings
from django.contrib.gis.geos import Point as GeosPoint
from django.core.exceptions import ImproperlyConfigured

from apps.pricing.errors import RouteUnavailable

logger = structlog.get_logger(__name__)

EARTH_MEAN_RADIUS_KM = 6371.0088  # WGS84 mean radius (IUGG R1)
_TENTH = Decimal("0.1")

Point = tuple[float, float]


class RouteProvider(Protocol):
    def distance_km(self, origin: Point, destination: Point) -> Decimal:
        """Road distance in km between two (lat, lng) points."""
        ...


def _check_point(name: str, point: Point) -> tuple[float, float]:
    try:
        lat, lng = (float(value) for value in point)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a (lat, lng) pair of numbers") from exc
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):  # also refuses NaN
        raise ValueError(f"{name} is out of range: lat in [-90, 90], lng in [-180, 180]")
    return lat, lng


def _km(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def haversine_km(*, origin: Point, destination: Point) -> float:
    """Great-circle distance on a sphere of the WGS84 mean radius."""
    lat1, lng1 = (math.radians(v) for v in _check_point("origin", origin))
    lat2, lng2 = (math.radians(v) for v in _check_point("destination", destination))
    half_chord = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * EARTH_MEAN_RADIUS_KM * math.asin(min(1.0, math.sqrt(half_chord)))


class GeodesicRouteProvider:
    """Straight-line distance x `road_factor` (roads are longer than the crow flies)."""

    def __init__(self, *, road_factor: Decimal = Decimal("1.3")):
        if not isinstance(road_factor, Decimal) or not Decimal(1) <= road_factor <= Decimal(3):
            raise ValueError("road_factor must be a Decimal from 1 to 3")
        self.road_factor = road_factor

    def distance_km(self, origin: Point, destination: Point) -> Decimal:
        straight = haversine_km(origin=origin, destination=destination)
        return _km(Decimal(repr(straight)) * self.road_factor)


class OsrmRouteProvider:
    """Driving distance from OSRM's route service (`/route/v1/driving/...?overview=false`).

    Pass `client` to reuse a connection pool or to test with httpx.MockTransport.
    """

    def __init__(
        self,
        *,
        base_url: str,
        timeout: float = 5.0,
        client: httpx.Client | None = None,
    ):
        if not base_url.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._client = client or httpx.Client(timeout=timeout)

    def distance_km(self, origin: Point, destination: Point) -> Decimal:
        lat1, lng1 = _check_point("origin", origin)
        lat2, lng2 = _check_point("destination", destination)
        url = f"{self.base_url}/route/v1/driving/{lng1:.6f},{lat1:.6f};{lng2:.6f},{lat2:.6f}"
        try:
            response = self._client.get(url, params={"overview": "false"}, timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise RouteUnavailable(f"OSRM request failed: {exc.__class__.__name__}") from exc
        body = _json_or_none(response)
        code = body.get("code") if isinstance(body, dict) else None
        if response.status_code != 200 or code != "Ok":
            message = body.get("message") if isinstance(body, dict) else None
            raise RouteUnavailable(
                f"OSRM answered {response.status_code} {code or 'without a code'}"
                + (f": {message}" if message else "")
            )
        try:
            metres = body["routes"][0]["distance"]
            if isinstance(metres, bool) or not isinstance(metres, int | float) or metres < 0:
                raise TypeError(metres)
        except (KeyError, IndexError, TypeError) as exc:
            raise RouteUnavailable("OSRM answer has no route distance") from exc
        return _km(Decimal(repr(metres)) / 1000)

    def close(self) -> None:
        self._client.close()


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


_PROVIDERS: dict[str, type] = {
    "geodesic": GeodesicRouteProvider,
    "osrm": OsrmRouteProvider,
}


def get_route_provider(name: str, **options: Any) -> RouteProvider:
    """A provider by name ("geodesic", "osrm"), built with `options` (e.g. from settings)."""
    try:
        provider_class = _PROVIDERS[name]
    except KeyError:
        raise ValueError(
            f"Unknown route provider {name!r}; known: {', '.join(_PROVIDERS)}"
        ) from None
    return provider_class(**options)


# --- the provider configured in settings ---------------------------------------------------------


def _road_factor() -> Decimal:
    try:
        return Decimal(str(settings.PRICING_ROAD_FACTOR))
    except InvalidOperation as exc:
        raise ImproperlyConfigured("PRICING_ROAD_FACTOR must be a decimal, e.g. 1.3") from exc


@functools.cache
def _provider(name: str, road_factor: Decimal, osrm_url: str, timeout: float) -> RouteProvider:
    """One provider per configuration and process (OSRM's keeps its connection pool)."""
    try:
        if name == "osrm":
            return get_route_provider("osrm", base_url=osrm_url, timeout=timeout)
        return get_route_provider(name, road_factor=road_factor)
    except ValueError as exc:
        raise ImproperlyConfigured(f"PRICING_ROUTE_PROVIDER={name!r}: {exc}") from exc


def route_provider() -> RouteProvider:
    """The provider configured in settings; ImproperlyConfigured if the settings are wrong."""
    return _provider(
        settings.PRICING_ROUTE_PROVIDER,
        _road_factor(),
        settings.PRICING_OSRM_URL,
        float(settings.PRICING_OSRM_TIMEOUT_SECONDS),
    )


def route_distance_km(
    *, origin: GeosPoint, destination: GeosPoint, provider: RouteProvider | None = None
) -> Decimal:
    """Road kilometres from origin to destination (WGS84 points), to 0.1 km."""
    provider = provider or route_provider()
    ends = (origin.y, origin.x), (destination.y, destination.x)  # (lat, lng)
    try:
        return provider.distance_km(*ends)
    except RouteUnavailable as exc:
        if isinstance(provider, GeodesicRouteProvider):
            raise
        logger.warning("route_provider_unavailable", error=str(exc), fallback="geodesic")
        return GeodesicRouteProvider(road_factor=_road_factor()).distance_km(*ends)
