"""Scheduling API: schedule/reschedule a booking, a company's free trucks and drivers, proposals."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.bookings.api.serializers import BookingOutput, booking_view_data
from apps.bookings.schedule_selectors import (
    booking_suggestions,
    company_availability,
    driver_label,
)
from apps.bookings.schedule_services import booking_schedule
from apps.bookings.selectors import booking_get_for_manager
from apps.companies.selectors import MANAGER_ROLES, company_get_for_staff
from apps.core.fields import AwareDateTimeField
from apps.core.serializers import StrictSerializer, parse

BIGINT_MAX = 2**63 - 1
MAX_DRIVERS = 10


class ScheduleInput(StrictSerializer):
    truck = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    drivers = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        allow_empty=False,
        max_length=MAX_DRIVERS,
    )
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    def validate_drivers(self, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Name each driver once.")
        return value

    def validate_start(self, value: Any) -> Any:
        if value < timezone.now():
            raise serializers.ValidationError("Must not be in the past.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _period_checked(attrs, max_length=_max_schedule())


def _max_schedule() -> timedelta:
    return timedelta(hours=settings.BOOKING_SCHEDULE_MAX_HOURS)


def _period_checked(attrs: dict[str, Any], *, max_length: timedelta) -> dict[str, Any]:
    start, end = attrs["start"], attrs["end"]
    if end <= start:
        raise serializers.ValidationError({"end": ["Must be after start."]})
    if end - start > max_length:
        raise serializers.ValidationError(
            {"end": [f"Must be at most {_span(max_length)} after start."]}
        )
    return attrs


def _span(length: timedelta) -> str:
    hours = int(length.total_seconds() // 3600)
    return f"{hours // 24} days" if hours % 24 == 0 and hours >= 48 else f"{hours} h"


# A query string's literal "+" arrives as a space ("...T09:00:00 01:00"): a client that did not
# URL-encode the offset's sign meant "+", since a negative offset keeps its "-".
_OFFSET_AFTER_SPACE = re.compile(r" (\d{2}:?\d{2})$")


def _plus_restored(value: str) -> str:
    return _OFFSET_AFTER_SPACE.sub(r"+\1", value)


class WindowQuery(StrictSerializer):
    start = AwareDateTimeField()
    end = AwareDateTimeField()

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, QueryDict):
            data = {key: _plus_restored(data.get(key, "")) for key in data}
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        days = timedelta(days=settings.BOOKING_AVAILABILITY_MAX_DAYS)
        return _period_checked(attrs, max_length=days)


class TruckBrief(serializers.Serializer):
    id = serializers.IntegerField()
    plate = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    capacity_m3 = serializers.DecimalField(max_digits=6, decimal_places=2)


class DriverBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.SerializerMethodField()
    licence_number = serializers.CharField()

    def get_name(self, driver: Any) -> str:
        return driver_label(driver)


class AvailabilityOutput(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    trucks = TruckBrief(many=True)
    drivers = DriverBrief(many=True)


class ProposalOutput(serializers.Serializer):
    truck = TruckBrief()
    distance_km = serializers.DecimalField(max_digits=8, decimal_places=1)
    drivers = DriverBrief(many=True)
    missing_drivers = serializers.IntegerField()


class SuggestionsOutput(serializers.Serializer):
    booking = serializers.SerializerMethodField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    crew_size = serializers.IntegerField()
    volume_m3 = serializers.DecimalField(max_digits=7, decimal_places=3)
    proposals = ProposalOutput(many=True)

    def get_booking(self, _: Any) -> int:
        return self.context["booking_id"]


class BookingScheduleApi(APIView):
    """Schedule a confirmed booking, or reschedule a scheduled one (owner, dispatcher)."""

    @extend_schema(request=ScheduleInput, responses=BookingOutput)
    def post(self, request: Request, booking_id: int) -> Response:
        access = booking_get_for_manager(user=request.user, booking_id=booking_id)
        data = parse(ScheduleInput, request.data)
        booking = booking_schedule(
            booking=access.booking,
            actor=access.user,
            truck_id=data["truck"],
            driver_ids=data["drivers"],
            start=data["start"],
            end=data["end"],
        )
        return Response(booking_view_data(booking, viewer_id=access.user.pk))


class BookingSuggestionsApi(APIView):
    """Ranked truck + crew proposals for the booking's window (owner, dispatcher)."""

    @extend_schema(responses=SuggestionsOutput)
    def get(self, request: Request, booking_id: int) -> Response:
        access = booking_get_for_manager(user=request.user, booking_id=booking_id)
        suggestions = booking_suggestions(booking=access.booking)
        return Response(SuggestionsOutput(suggestions, context={"booking_id": booking_id}).data)


WINDOW_PARAMETERS = [
    OpenApiParameter(
        name,
        str,
        required=True,
        description="ISO-8601 with its offset; URL-encode `+` as `%2B` (a bare `+` is accepted).",
    )
    for name in ("start", "end")
]


class CompanyAvailabilityApi(APIView):
    """The company's free trucks and drivers for a window (owner, dispatcher)."""

    @extend_schema(parameters=WINDOW_PARAMETERS, responses=AvailabilityOutput)
    def get(self, request: Request, company_id: int) -> Response:
        company = company_get_for_staff(
            user=request.user, company_id=company_id, roles=MANAGER_ROLES
        )
        window = parse(WindowQuery, request.query_params)
        availability = company_availability(company=company, **window)
        return Response(AvailabilityOutput(availability).data)
