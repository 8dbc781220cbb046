"""Output shapes shared by the bookings API (each area's inputs live beside its views)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.bookings.models import Booking
from apps.core.fields import LatLngField
from apps.pricing.api.serializers import QuoteLineOutput  # one schema component for quote lines


class QuoteOutput(serializers.Serializer):
    id = serializers.IntegerField()
    company = serializers.IntegerField(source="company_id")
    company_name = serializers.CharField(source="company.name")
    status = serializers.CharField()
    lines = QuoteLineOutput(many=True)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    estimated_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    crew_size = serializers.IntegerField()
    volume_m3 = serializers.DecimalField(max_digits=7, decimal_places=3)
    distance_km = serializers.DecimalField(max_digits=8, decimal_places=2)
    pricing_version = serializers.IntegerField(source="pricing_config.version")
    expires_at = serializers.DateTimeField()


class BookingOutput(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    company = serializers.IntegerField(source="company_id")
    company_name = serializers.CharField(source="company.name")
    customer = serializers.IntegerField(source="customer_id")
    move_request = serializers.IntegerField(source="move_request_id")
    quote = serializers.IntegerField(source="quote_id")
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    move_date = serializers.DateField(source="move_request.move_date")
    origin = LatLngField(source="move_request.origin")
    destination = LatLngField(source="move_request.destination")
    origin_address = serializers.CharField(source="move_request.origin_address")
    destination_address = serializers.CharField(source="move_request.destination_address")
    window_start = serializers.DateTimeField(source="move_request.window_start")
    window_end = serializers.DateTimeField(source="move_request.window_end")
    volume_m3 = serializers.DecimalField(source="quote.volume_m3", max_digits=7, decimal_places=3)
    crew_size = serializers.IntegerField(source="quote.crew_size")
    scheduled_start = serializers.DateTimeField()
    scheduled_end = serializers.DateTimeField()
    started_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField()
    cancelled_at = serializers.DateTimeField()
    cancellation_fee = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    created_at = serializers.DateTimeField()
    handover_code = serializers.SerializerMethodField()

    def get_handover_code(self, booking: Booking) -> str | None:
        """Only for the booking's customer (context `viewer_id`): the crew must get it from the
        customer at the door, so staff never see it; null for everyone else."""
        viewer_id = self.context.get("viewer_id")
        return booking.handover_code if viewer_id == booking.customer_id else None


def booking_view_data(booking: Booking, *, viewer_id: int) -> dict[str, Any]:
    """The booking as `viewer_id` sees it (every booking answer of the API goes through here)."""
    return dict(BookingOutput(booking, context={"viewer_id": viewer_id}).data)


class BookingEventOutput(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    data = serializers.JSONField()  # type: ignore[assignment]  # the contract's name; the metaclass moves it off the class
