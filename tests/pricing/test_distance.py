"""Route providers: the haversine estimate, and OSRM through httpx.MockTransport (no network)."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from apps.pricing.routes import (
    GeodesicRouteProvider,
    OsrmRouteProvider,
    RouteUnavailable,
    get_route_provider,
    haversine_km,
)

PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)
PARIS_LYON_GEODESIC_KM = Decimal(392)


def test_haversine_paris_lyon_is_within_one_percent_of_the_geodesic_times_road_factor():
    provider = GeodesicRouteProvider()  # road factor 1.3

    distance = provider.distance_km(PARIS, LYON)

    expected = PARIS_LYON_GEODESIC_KM * Decimal("1.3")  # 509.6 km
    assert abs(distance - expected) <= expected / 100
    assert distance == Decimal("508.9")  # 391.4995 km x 1.3, to 0.1 km


def test_road_factor_one_gives_the_straight_line_distance():
    distance = GeodesicRouteProvider(road_factor=Decimal(1)).distance_km(PARIS, LYON)

    assert distance == Decimal("391.5")
    assert abs(distance - PARIS_LYON_GEODESIC_KM) <= PARIS_LYON_GEODESIC_KM / 100


def test_the_same_point_is_zero_km_away():
    assert GeodesicRouteProvider().distance_km(PARIS, PARIS) == Decimal("0.0")


def test_haversine_is_symmetric():
    assert haversine_km(origin=PARIS, destination=LYON) == pytest.approx(
        haversine_km(origin=LYON, destination=PARIS)
    )


@pytest.mark.parametrize("point", [(91.0, 0.0), (0.0, 181.0), (float("nan"), 0.0), ("x", 1)])
def test_points_out_of_range_are_refused(point):
    with pytest.raises(ValueError):
        GeodesicRouteProvider().distance_km(point, LYON)


def test_a_road_factor_below_one_is_refused():
    with pytest.raises(ValueError):
        GeodesicRouteProvider(road_factor=Decimal("0.9"))


def osrm_with(handler) -> tuple[OsrmRouteProvider, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def recording(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    client = httpx.Client(transport=httpx.MockTransport(recording))
    return OsrmRouteProvider(base_url="http://osrm.test/", timeout=2.0, client=client), seen


def test_osrm_distance_comes_from_the_first_route_in_km():
    provider, seen = osrm_with(
        lambda request: httpx.Response(
            200, json={"code": "Ok", "routes": [{"distance": 465123.4, "duration": 16000.1}]}
        )
    )

    distance = provider.distance_km(PARIS, LYON)

    assert distance == Decimal("465.1")
    assert len(seen) == 1
    assert seen[0].url.path == "/route/v1/driving/2.352200,48.856600;4.835700,45.764000"
    assert seen[0].url.params["overview"] == "false"


def test_osrm_without_a_route_is_unavailable():
    provider, _ = osrm_with(
        lambda request: httpx.Response(
            400, json={"code": "NoRoute", "message": "Impossible route between points"}
        )
    )

    with pytest.raises(RouteUnavailable, match="400 NoRoute: Impossible route between points"):
        provider.distance_km(PARIS, LYON)


def test_osrm_server_error_is_unavailable():
    provider, _ = osrm_with(lambda request: httpx.Response(502, text="Bad Gateway"))

    with pytest.raises(RouteUnavailable, match="502 without a code"):
        provider.distance_km(PARIS, LYON)


def test_osrm_timeout_is_unavailable():
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    provider, _ = osrm_with(timeout)

    with pytest.raises(RouteUnavailable, match="ConnectTimeout"):
        provider.distance_km(PARIS, LYON)


def test_osrm_answer_without_distance_is_unavailable():
    provider, _ = osrm_with(lambda request: httpx.Response(200, json={"code": "Ok", "routes": []}))

    with pytest.raises(RouteUnavailable, match="no route distance"):
        provider.distance_km(PARIS, LYON)


def test_factory_builds_providers_by_name():
    geodesic = get_route_provider("geodesic", road_factor=Decimal("1.2"))
    osrm = get_route_provider("osrm", base_url="http://osrm.test", timeout=1.0)

    assert isinstance(geodesic, GeodesicRouteProvider)
    assert geodesic.road_factor == Decimal("1.2")
    assert isinstance(osrm, OsrmRouteProvider)
    assert osrm.base_url == "http://osrm.test"
    osrm.close()


def test_factory_refuses_unknown_names():
    with pytest.raises(ValueError, match="Unknown route provider 'google'"):
        get_route_provider("google")
