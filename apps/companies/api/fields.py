"""Serializer fields only the companies API uses: GeoJSON areas, distances in km.

Shared fields (phones, currencies, zones, lat/lng points) live in apps.core.fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import MultiPolygon
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.companies.geometry import GeometryInvalid, multipolygon_from_geojson

GEOJSON_SCHEMA = {
    "type": "object",
    "description": "GeoJSON Polygon or MultiPolygon geometry, positions as [lng, lat].",
    "properties": {
        "type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
        "coordinates": {"type": "array", "items": {}},
    },
    "required": ["type", "coordinates"],
}


@extend_schema_field(GEOJSON_SCHEMA)
class GeoJsonAreaField(serializers.Field):
    """A GeoJSON Polygon|MultiPolygon in, a valid MultiPolygon out (see apps.companies.geometry)."""

    def to_internal_value(self, data: Any) -> MultiPolygon:
        try:
            return multipolygon_from_geojson(data)
        except GeometryInvalid as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def to_representation(self, value: Any) -> Any:  # input only
        raise NotImplementedError


@extend_schema_field(OpenApiTypes.DOUBLE)
class DistanceKmField(serializers.Field):
    """A distance in metres as kilometres rounded to 2 decimals (a JSON number), or null."""

    def __init__(self, **kwargs: Any):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> float | None:
        return None if value is None else round(value / 1000, 2)
