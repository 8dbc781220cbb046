"""Serializer fields several apps share: E.164 phones, ISO 4217 codes, IANA zones, lat/lng points,
decimal text, calendar dates and aware times within the API's calendar."""

from __future__ import annotations

import math
import zoneinfo
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import phonenumbers
from django.contrib.gis.geos import Point
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core import limits
from apps.core.geo import point_from_lat_lng, validate_lat_lng
from apps.core.money import is_currency


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
    """An ISO 4217 currency code in circulation (case-insensitive in, upper case out).

    The one currency check of the API (apps.core.money.is_currency): `XXX`, `XAU` and other
    codes that are not money a mover invoices in are refused everywhere.
    """

    default_error_messages = {"currency": "{value!r} is not an ISO 4217 currency code."}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 3)
        kwargs.setdefault("min_length", 3)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        if not is_currency(code):
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


LAT_LNG_SCHEMA = {
    "type": "object",
    "properties": {
        "lat": {"type": "number", "minimum": -90, "maximum": 90},
        "lng": {"type": "number", "minimum": -180, "maximum": 180},
    },
    "required": ["lat", "lng"],
}


def _is_json_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@extend_schema_field(LAT_LNG_SCHEMA)
class LatLngField(serializers.Field):
    """A point as {"lat": .., "lng": ..} in WGS84: two JSON numbers, validated to range."""

    # Braces doubled: DRF's fail() runs str.format() on the message.
    default_error_messages = {"invalid": 'Expected {{"lat": <number>, "lng": <number>}}.'}

    def to_internal_value(self, data: Any) -> Point:
        if not isinstance(data, dict) or set(data) != {"lat", "lng"}:
            self.fail("invalid")
        if not (_is_json_number(data["lat"]) and _is_json_number(data["lng"])):
            self.fail("invalid")  # "48.8" (a string) or true: numbers must be JSON numbers
        try:
            lat, lng = float(data["lat"]), float(data["lng"])
        except OverflowError:  # 10**309 overflows a float
            self.fail("invalid")
        if not (math.isfinite(lat) and math.isfinite(lng)):
            self.fail("invalid")
        validate_lat_lng(lat, lng)
        return point_from_lat_lng(lat, lng)

    def to_representation(self, value: Point) -> dict[str, float]:
        return {"lat": round(value.y, 7), "lng": round(value.x, 7)}


@extend_schema_field({"type": "string", "format": "decimal", "example": "249.50"})
class DecimalTextField(serializers.CharField):
    """Output: a decimal rendered as a string, keeping its scale ("0.0500", "180.00")."""


_DATE_RANGE_MESSAGE = f"Must be between {limits.EARLIEST_DATE} and {limits.LATEST_DATE}."


def _in_calendar(day: date) -> bool:
    return limits.EARLIEST_DATE <= day <= limits.LATEST_DATE


class CalendarDateField(serializers.DateField):
    """A `YYYY-MM-DD` date from limits.EARLIEST_DATE to limits.LATEST_DATE: a date at the end
    of Python's calendar (9999-12-31) would overflow the next day's arithmetic."""

    default_error_messages = {"date_range": _DATE_RANGE_MESSAGE}

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> date:
        day = super().to_internal_value(value)
        if not _in_calendar(day):
            self.fail("date_range")
        return day


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO-8601 date and time WITH an offset (`2030-03-10T09:00:00+01:00`); a naive one is
    refused rather than read in the server's time zone. Its UTC date must be within the API's
    calendar (limits.EARLIEST_DATE..LATEST_DATE), as a CalendarDateField's."""

    default_error_messages = {
        "naive": "Give the time with its UTC offset, e.g. 2030-03-10T09:00:00+01:00.",
        "date_range": _DATE_RANGE_MESSAGE,
    }

    def enforce_timezone(self, value: Any) -> Any:
        if value.tzinfo is None or value.utcoffset() is None:
            self.fail("naive")
        return super().enforce_timezone(value)

    def to_internal_value(self, value: Any) -> datetime:
        moment = super().to_internal_value(value)
        # Judged on the UTC date: read in any zone (+-14 h) it stays inside Python's calendar.
        try:
            in_calendar = _in_calendar(moment.astimezone(UTC).date())
        except OverflowError:
            in_calendar = False
        if not in_calendar:
            self.fail("date_range")
        return moment
