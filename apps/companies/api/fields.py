"""Serializer fields of the companies API: E.164 phones, ISO 4217, IANA zones, points, GeoJSON."""

from __future__ import annotations

import zoneinfo
from functools import cache
from typing import Any

import phonenumbers
from django.contrib.gis.geos import MultiPolygon
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.companies.geometry import GeometryInvalid, multipolygon_from_geojson
from apps.core.money import CURRENCIES

GEOJSON_SCHEMA = {
    "type": "object",
    "description": "GeoJSON Polygon or MultiPolygon geometry, positions as [lng, lat].",
    "properties": {
        "type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
        "coordinates": {"type": "array", "items": {}},
    },
    "required": ["type", "coordinates"],
}


class PhoneField(serializers.CharField):
    """A phone number in international format, normalised to E.164 (`+33612345678`)."""

    default_error_messages = {
        "phone": "Enter a valid phone number in international format, e.g. +33612345678."
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        text = super().to_internal_value(data)
        try:
            number = phonenumbers.parse(text, None)
        except phonenumbers.NumberParseException:
            self.fail("phone")
        if not phonenumbers.is_valid_number(number):
            self.fail("phone")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class CurrencyField(serializers.CharField):
    """An ISO 4217 currency code in circulation (case-insensitive in, upper case out)."""

    default_error_messages = {"currency": "{value!r} is not an ISO 4217 currency code."}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("min_length", 3)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if code not in CURRENCIES:
            self.fail("currency", value=data)
        return code


@cache
def _iana_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


class TimezoneField(serializers.CharField):
    """An IANA time zone name (`Europe/Paris`)."""

    default_error_messages = {"timezone": "{value!r} is not an IANA time zone name."}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        name = super().to_internal_value(data)
        if name not in _iana_zones():
            self.fail("timezone", value=data)
        return name


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
