"""Geo helpers shared by apps: {"lat","lng"} points, `lat,lng` query values, distances."""

from __future__ import annotations

import math

from django.contrib.gis.geos import Point
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.errors import Invalid

WGS84 = 4326


def point_from_lat_lng(lat: float, lng: float) -> Point:
    """A WGS84 point; GEOS takes (x=lng, y=lat)."""
    return Point(float(lng), float(lat), srid=WGS84)


def validate_lat_lng(lat: float, lng: float) -> None:
    errors = {}
    if not -90 <= lat <= 90:
        errors["lat"] = ["Latitude must be between -90 and 90."]
    if not -180 <= lng <= 180:
        errors["lng"] = ["Longitude must be between -180 and 180."]
    if errors:
        raise serializers.ValidationError(errors)


def parse_lat_lng_param(value: str, *, name: str) -> Point:
    """Parse a `lat,lng` query value; a malformed or out-of-range one is a 400 naming `name`."""
    try:
        lat_text, lng_text = value.split(",")
        lat, lng = float(lat_text), float(lng_text)
    except ValueError as exc:
        raise Invalid(details={name: ["Expected 'lat,lng' in decimal degrees."]}) from exc
    if not (-90 <= lat <= 90 and -180 <= lng <= 180) or lat != lat or lng != lng:
        raise Invalid(
            details={name: ["Latitude must be in [-90, 90] and longitude in [-180, 180]."]}
        )
    return point_from_lat_lng(lat, lng)


LAT_LNG_SCHEMA = {
    "type": "object",
    "properties": {
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lng": {"type": "number", "minimum": -180, "maximum": 180},
    },
    "required": ["lat", "lng"],
}


@extend_schema_field(LAT_LNG_SCHEMA)
class LatLngField(serializers.Field):
    """A point as {"lat": .., "lng": ..} in WGS84, validated to range."""

    # Braces doubled: DRF's fail() runs str.format() on the message.
    default_error_messages = {"invalid": 'Expected {{"lat": <number>, "lng": <number>}}.'}

    def to_internal_value(self, data) -> Point:
        if not isinstance(data, dict) or set(data) - {"lat", "lng"}:
            self.fail("invalid")
        if isinstance(data.get("lat"), bool) or isinstance(data.get("lng"), bool):
            self.fail("invalid")
        try:
            lat, lng = float(data["lat"]), float(data["lng"])
        except (KeyError, TypeError, ValueError, OverflowError):  # 10**309 overflows a float
            self.fail("invalid")
        if not (math.isfinite(lat) and math.isfinite(lng)):
            self.fail("invalid")
        validate_lat_lng(lat, lng)
        return point_from_lat_lng(lat, lng)

    def to_representation(self, value: Point) -> dict[str, float]:
        return {"lat": round(value.y, 7), "lng": round(value.x, 7)}


EARTH_RADIUS_KM = 6371.0088


def circle_polygon(*, center: Point, radius_km: float, segments: int = 64):
    """A geodesic circle around `center` as a WGS84 MultiPolygon (for radius-defined areas)."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    lat1, lng1 = math.radians(center.y), math.radians(center.x)
    angular = radius_km / EARTH_RADIUS_KM
    ring = []
    for step in range(segments):
        bearing = 2 * math.pi * step / segments
        lat2 = math.asin(
            math.sin(lat1) * math.cos(angular)
            + math.cos(lat1) * math.sin(angular) * math.cos(bearing)
        )
        lng2 = lng1 + math.atan2(
            math.sin(bearing) * math.sin(angular) * math.cos(lat1),
            math.cos(angular) - math.sin(lat1) * math.sin(lat2),
        )
        ring.append((math.degrees(lng2), math.degrees(lat2)))
    ring.append(ring[0])
    return MultiPolygon(Polygon(ring), srid=WGS84)
