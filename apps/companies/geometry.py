"""Service-area geometry: GeoJSON (Polygon|MultiPolygon) or centre + radius -> a valid MultiPolygon.

GeoJSON is checked and turned into GEOS objects here, in plain Python: GDAL never sees user input
(see gis.W001 in settings), and every refusal says exactly what is wrong (which ring, which
coordinate). Limits: MAX_VERTICES positions in total, MAX_POLYGONS polygons.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from django.contrib.gis.geos import GEOSException, LinearRing, MultiPolygon, Point, Polygon

from apps.core.geo import WGS84, circle_polygon

MAX_VERTICES = 10_000
MAX_POLYGONS = 100
MAX_RADIUS_KM = 500.0


class GeometryInvalid(ValueError):
    """The geometry is unusable; the message says why in words a client can act on."""


def _position(value: Any, where: str) -> tuple[float, float]:
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise GeometryInvalid(f"{where}: a position is [longitude, latitude].")
    if any(isinstance(item, bool) or not isinstance(item, int | float) for item in value):
        raise GeometryInvalid(f"{where}: coordinates must be numbers.")
    try:
        lng, lat = float(value[0]), float(value[1])
    except OverflowError:  # an integer beyond a float, e.g. 10**309
        lng = lat = math.inf
    if not (math.isfinite(lng) and math.isfinite(lat)):
        raise GeometryInvalid(f"{where}: coordinates must be finite numbers.")
    if not (-180 <= lng <= 180 and -90 <= lat <= 90):
        raise GeometryInvalid(
            f"{where}: [{value[0]}, {value[1]}] is out of range "
            "(longitude in [-180, 180], latitude in [-90, 90]; GeoJSON order is [lng, lat])."
        )
    return lng, lat


def _ring(value: Any, where: str, budget: list[int]) -> LinearRing:
    if not isinstance(value, list):
        raise GeometryInvalid(f"{where}: a ring is a list of positions.")
    budget[0] -= len(value)
    if budget[0] < 0:
        raise GeometryInvalid(f"The geometry has more than {MAX_VERTICES} vertices.")
    points = [_position(item, f"{where}, position {index}") for index, item in enumerate(value)]
    if len(points) < 4:
        raise GeometryInvalid(f"{where}: a ring needs at least 4 positions (first = last).")
    if points[0] != points[-1]:
        raise GeometryInvalid(f"{where} is not closed: its last position must equal its first.")
    for index, (start, end) in enumerate(itertools.pairwise(points)):
        if _antipodal(start, end):
            raise GeometryInvalid(
                f"{where}, positions {index} and {index + 1} are antipodal: on the sphere the "
                "edge between them is undefined. Add a position in between."
            )
    return LinearRing(points, srid=WGS84)


def _antipodal(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether two (lng, lat) positions are opposite ends of a diameter (any two poles too)."""
    (lng_a, lat_a), (lng_b, lat_b) = a, b
    if abs(lat_a + lat_b) > 1e-9:
        return False
    if abs(abs(lat_a) - 90) < 1e-9:  # one pole and the other
        return True
    return abs((lng_a - lng_b) % 360 - 180) < 1e-9


def _polygon(value: Any, where: str, budget: list[int]) -> Polygon:
    if not isinstance(value, list) or not value:
        raise GeometryInvalid(f"{where}: a polygon is a non-empty list of rings.")
    rings = [
        _ring(ring, f"{where}, ring {index}" if where else f"ring {index}", budget)
        for index, ring in enumerate(value)
    ]
    polygon = Polygon(*rings, srid=WGS84)
    xmin, _, xmax, _ = polygon.extent
    # On the sphere an edge is the shorter great-circle arc, so a polygon this wide would not
    # mean what its planar drawing shows (typically it crosses the antimeridian).
    if xmax - xmin >= 180:
        raise GeometryInvalid(
            f"{where or 'The polygon'} spans 180 degrees of longitude or more; "
            "split it at the antimeridian into a MultiPolygon."
        )
    return polygon


def multipolygon_from_geojson(data: Any) -> MultiPolygon:
    """A valid WGS84 MultiPolygon from a GeoJSON Polygon or MultiPolygon object."""
    if not isinstance(data, dict):
        raise GeometryInvalid("Expected a GeoJSON object with 'type' and 'coordinates'.")
    kind, coordinates = data.get("type"), data.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        raise GeometryInvalid("The geometry type must be Polygon or MultiPolygon.")
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryInvalid("'coordinates' must be a non-empty list.")
    budget = [MAX_VERTICES]
    try:
        if kind == "Polygon":
            polygons = [_polygon(coordinates, "", budget)]
        else:
            if len(coordinates) > MAX_POLYGONS:
                raise GeometryInvalid(f"A MultiPolygon may have at most {MAX_POLYGONS} polygons.")
            polygons = [
                _polygon(polygon, f"polygon {index}", budget)
                for index, polygon in enumerate(coordinates)
            ]
        multipolygon = MultiPolygon(*polygons, srid=WGS84)
    except GEOSException as exc:  # defensive: the checks above should have caught it
        raise GeometryInvalid(f"The geometry could not be built: {exc}.") from exc
    return _require_valid(multipolygon)


def multipolygon_from_circle(*, center: Point, radius_km: float) -> MultiPolygon:
    """A geodesic circle as a MultiPolygon, refused when it cannot be one (e.g. over a pole)."""
    if not 0 < radius_km <= MAX_RADIUS_KM:
        raise GeometryInvalid(f"radius_km must be greater than 0 and at most {MAX_RADIUS_KM:g}.")
    circle = circle_polygon(center=center, radius_km=radius_km)
    xmin, _, xmax, _ = circle.extent
    # Past a pole or the antimeridian the ring's longitudes wrap: the planar ring no longer
    # draws the circle (it would cover the rest of the world instead).
    if xmin < -180 or xmax > 180 or xmax - xmin >= 180 or circle.valid is False:
        raise GeometryInvalid(
            "The circle crosses the antimeridian or a pole; send it as GeoJSON instead."
        )
    return circle


def _require_valid(multipolygon: MultiPolygon) -> MultiPolygon:
    if not multipolygon.valid:
        raise GeometryInvalid(f"The geometry is not valid: {multipolygon.valid_reason}.")
    return multipolygon


def multipolygon_to_geojson(multipolygon: MultiPolygon) -> dict[str, Any]:
    """GeoJSON MultiPolygon ({"type", "coordinates"}) of a stored area."""
    return {
        "type": "MultiPolygon",
        "coordinates": [
            [[list(position) for position in ring] for ring in polygon]
            for polygon in multipolygon.coords
        ],
    }
