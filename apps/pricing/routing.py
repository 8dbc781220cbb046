"""The route provider chosen in settings, and the road distance between two points for a quote.

PRICING_ROUTE_PROVIDER is "geodesic" (great circle x PRICING_ROAD_FACTOR, offline) or "osrm"
(PRICING_OSRM_URL). When OSRM cannot answer, the quote falls back to the geodesic estimate
(logged as a warning) rather than refusing the customer: an estimate is indicative.
"""

from __future__ import annotations

import functools
from decimal import Decimal, InvalidOperation

import structlog
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured

from apps.pricing.distance import (
    GeodesicRouteProvider,
    RouteProvider,
    RouteUnavailable,
    get_route_provider,
)

logger = structlog.get_logger(__name__)


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
    *, origin: Point, destination: Point, provider: RouteProvider | None = None
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
