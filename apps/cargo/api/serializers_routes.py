"""Route search API: the query string in, itineraries out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from apps.cargo.models import Trip, hub_code_validator
from apps.cargo.pricing import leg_price
from apps.core import limits
from apps.core.fields import CalendarDateField
from apps.core.serializers import PageQueryInput

MIN_WEIGHT_KG = Decimal("0.001")


class HubCodeField(serializers.CharField):
    """A hub code such as BER (upper-cased on the way in)."""

    def __init__(self, **kwargs: Any):
        super().__init__(max_length=8, **kwargs)

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).upper()
        hub_code_validator(code)
        return code


class RoutesQueryInput(PageQueryInput):
    """`?origin=BER&destination=MUC&date=YYYY-MM-DD&volume_m3=&weight_kg=` (+ page, page_size)."""

    origin = HubCodeField(help_text="Hub code, such as BER.")
    destination = HubCodeField(help_text="Hub code, such as MUC.")
    date = CalendarDateField(help_text="The first leg's local departure date at the origin hub.")
    volume_m3 = serializers.DecimalField(
        max_digits=6,
        decimal_places=limits.VOLUME_DECIMAL_PLACES,
        min_value=limits.MIN_VOLUME_M3,
        max_value=limits.MAX_VOLUME_M3,
    )
    weight_kg = serializers.DecimalField(
        max_digits=8, decimal_places=3, min_value=MIN_WEIGHT_KG, max_value=limits.MAX_WEIGHT_KG
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["origin"] == attrs["destination"]:
            raise serializers.ValidationError({"destination": ["Must differ from origin."]})
        return attrs


class RouteLegOutput(serializers.Serializer):
    """One trip of an itinerary; `price` is this leg's price for the searched volume."""

    id = serializers.IntegerField()
    company = serializers.IntegerField(source="company_id")
    company_name = serializers.CharField(source="company.name")
    origin_hub = serializers.CharField(source="origin_hub.code")
    destination_hub = serializers.CharField(source="destination_hub.code")
    departs_at = serializers.DateTimeField()
    arrives_at = serializers.DateTimeField()
    remaining_m3 = serializers.SerializerMethodField()
    remaining_kg = serializers.SerializerMethodField()
    price_per_m3 = serializers.DecimalField(max_digits=10, decimal_places=2)
    min_charge = serializers.DecimalField(max_digits=10, decimal_places=2)
    price = serializers.SerializerMethodField()
    currency = serializers.CharField()

    def get_remaining_m3(self, trip: Trip) -> str:
        return f"{trip.capacity_m3 - trip.sold_m3:.3f}"

    def get_remaining_kg(self, trip: Trip) -> str:
        return f"{trip.capacity_kg - trip.sold_kg:.3f}"

    def get_price(self, trip: Trip) -> str:
        return f"{leg_price(trip, self.context['volume_m3']):.2f}"


class ItineraryOutput(serializers.Serializer):
    """A direct trip (one leg) or a one-stop itinerary (two legs), with its total price."""

    legs = RouteLegOutput(many=True)
    departs_at = serializers.DateTimeField()
    arrives_at = serializers.DateTimeField()
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
