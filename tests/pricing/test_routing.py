"""The route provider from settings, the OSRM fallback, and the settings' system check."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from apps.core.geo import point_from_lat_lng
from apps.pricing.apps import check_route_provider_settings
from apps.pricing.routes import (
    GeodesicRouteProvider,
    OsrmRouteProvider,
    route_distance_km,
    route_provider,
)
from tests.pricing.conftest import LYON, PARIS

ORIGIN = point_from_lat_lng(LYON["lat"], LYON["lng"])
DESTINATION = point_from_lat_lng(PARIS["lat"], PARIS["lng"])


def osrm_answering(response: httpx.Response) -> OsrmRouteProvider:
    """An OSRM provider whose server is an httpx.MockTransport: never the network."""
    client = httpx.Client(transport=httpx.MockTransport(lambda request: response))
    return OsrmRouteProvider(base_url="http://osrm.test", client=client)


def test_the_default_provider_is_geodesic_times_1_3():
    provider = route_provider()

    assert isinstance(provider, GeodesicRouteProvider)
    assert provider.road_factor == Decimal("1.3")
    assert route_distance_km(origin=ORIGIN, destination=DESTINATION) == Decimal("508.9")


def test_the_road_factor_comes_from_settings(settings):
    settings.PRICING_ROAD_FACTOR = "1"

    assert route_distance_km(origin=ORIGIN, destination=DESTINATION) == Decimal("391.5")


def test_osrm_is_chosen_by_settings(settings):
    settings.PRICING_ROUTE_PROVIDER = "osrm"
    settings.PRICING_OSRM_URL = "http://osrm.internal:5000/"

    provider = route_provider()

    assert isinstance(provider, OsrmRouteProvider)
    assert provider.base_url == "http://osrm.internal:5000"
    assert provider.timeout == 3.0


def test_the_osrm_distance_is_used_when_it_answers():
    provider = osrm_answering(
        httpx.Response(200, json={"code": "Ok", "routes": [{"distance": 465123.4}]})
    )

    distance = route_distance_km(origin=ORIGIN, destination=DESTINATION, provider=provider)

    assert distance == Decimal("465.1")


def test_an_unavailable_osrm_falls_back_to_the_geodesic_estimate():
    provider = osrm_answering(httpx.Response(502, text="Bad Gateway"))

    distance = route_distance_km(origin=ORIGIN, destination=DESTINATION, provider=provider)

    assert distance == Decimal("508.9")


def test_the_default_route_settings_pass_the_system_check():
    assert check_route_provider_settings() == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"PRICING_ROUTE_PROVIDER": "google"}, "PRICING_ROUTE_PROVIDER='google': Unknown route"),
        ({"PRICING_ROUTE_PROVIDER": "osrm"}, "base_url must be an http(s) URL"),
        ({"PRICING_ROAD_FACTOR": "0.5"}, "road_factor must be a Decimal from 1 to 3"),
        ({"PRICING_ROAD_FACTOR": "fast"}, "PRICING_ROAD_FACTOR must be a decimal"),
    ],
)
def test_wrong_route_settings_fail_the_system_check(settings, changes, message):
    for name, value in changes.items():
        setattr(settings, name, value)

    errors = check_route_provider_settings()

    assert [error.id for error in errors] == ["pricing.E001"]
    assert message in errors[0].msg
