"""Geo helpers shared by apps: WGS84 points, `lat,lng` query values, circles.

The {"lat", "lng"} serializer field is apps.core.fields.LatLngField.
"""

from __future__ import annotations

import math

from django.contrib.gis.geos import Point
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
