"""Input and output shapes of the cargo API: money and quantities as decimal strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from apps.cargo.models import Hub, Shipment, Trip
from apps.core import limits
from apps.core.fields import AwareDateTimeField, LatLngField
from apps.core.serializers import StrictSerializer

BIGINT_MAX = 2**63 - 1
MAX_LEGS = 2
HUB_CODE = r"^[A-Z0-9]{3,8}$"
MAX_PRICE = "99999999.99"
# A leg costs at most max(min_charge, 200 m3 x price per m3): with this cap two legs always fit
# a shipment's price column (12 digits), so no reservation can overflow it.
MAX_PRICE_PER_M3 = "100000.00"


def _decimal(
    *, digits: int, places: int, low: str, high: Any, **kwargs: Any
) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=digits,
        decimal_places=places,
        min_value=Decimal(low),
        max_value=Decimal(high),
        **kwargs,
    )


class TripPublishInput(StrictSerializer):
    truck = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    origin_hub = serializers.RegexField(HUB_CODE, max_length=8)
    destination_hub = serializers.RegexField(HUB_CODE, max_length=8)
    departs_at = AwareDateTimeField()
    arrives_at = AwareDateTimeField()
    capacity_m3 = _decimal(digits=7, places=3, low="0.001", high=limits.MAX_VOLUME_M3)
    capacity_kg = _decimal(digits=9, places=3, low="0.001", high=limits.MAX_WEIGHT_KG)
    price_per_m3 = _decimal(digits=10, places=2, low="0", high=MAX_PRICE_PER_M3)
    min_charge = _decimal(
        digits=10, places=2, low="0", high=MAX_PRICE, required=False, default=Decimal("0.00")
    )

    def validate_departs_at(self, value: Any) -> Any:
        if value <= timezone.now():
            raise serializers.ValidationError("Must be in the future.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["arrives_at"] <= attrs["departs_at"]:
            raise serializers.ValidationError({"arrives_at": ["Must be after departs_at."]})
        return attrs


def trip_publish_arguments(data: dict[str, Any]) -> dict[str, Any]:
    """TripPublishInput's validated data as trip_publish's keyword arguments (API and dashboard)."""
    return {
        "truck_id": data["truck"],
        "origin_code": data["origin_hub"],
        "destination_code": data["destination_hub"],
        "departs_at": data["departs_at"],
        "arrives_at": data["arrives_at"],
        "capacity_m3": data["capacity_m3"],
        "capacity_kg": data["capacity_kg"],
        "price_per_m3": data["price_per_m3"],
        "min_charge": data["min_charge"],
    }


class ShipmentReserveInput(StrictSerializer):
    legs = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=BIGINT_MAX),
        min_length=1,
        max_length=MAX_LEGS,
    )
    volume_m3 = _decimal(digits=7, places=3, low="0.001", high=limits.MAX_VOLUME_M3)
    weight_kg = _decimal(digits=9, places=3, low="0.001", high=limits.MAX_WEIGHT_KG)

    def validate_legs(self, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise serializers.ValidationError("Name each trip once.")
        return value


class HubOutput(serializers.ModelSerializer):
    location = LatLngField()

    class Meta:
        model = Hub
        fields = ["code", "name", "location", "timezone"]


def _amount(digits: int, places: int) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=digits, decimal_places=places, read_only=True)


class TripOutput(serializers.Serializer):
    id = serializers.IntegerField()
    company = serializers.IntegerField(source="company_id")
    origin_hub = serializers.CharField(source="origin_hub.code")
    destination_hub = serializers.CharField(source="destination_hub.code")
    departs_at = serializers.DateTimeField()
    arrives_at = serializers.DateTimeField()
    departs_on_local = serializers.DateField()
    capacity_m3 = _amount(7, 3)
    capacity_kg = _amount(9, 3)
    sold_m3 = _amount(7, 3)
    sold_kg = _amount(9, 3)
    remaining_m3 = serializers.SerializerMethodField()
    remaining_kg = serializers.SerializerMethodField()
    price_per_m3 = _amount(10, 2)
    min_charge = _amount(10, 2)
    currency = serializers.CharField()
    status = serializers.CharField()
    departed_at = serializers.DateTimeField()
    arrived_at = serializers.DateTimeField()

    def get_remaining_m3(self, trip: Trip) -> str:
        return f"{trip.capacity_m3 - trip.sold_m3:.3f}"

    def get_remaining_kg(self, trip: Trip) -> str:
        return f"{trip.capacity_kg - trip.sold_kg:.3f}"


class TripStaffOutput(TripOutput):
    """What the company's own staff see: the public fields and the truck."""

    truck = serializers.IntegerField(source="truck_id")


class LegOutput(serializers.Serializer):
    order = serializers.IntegerField()
    trip = serializers.IntegerField(source="trip_id")
    company = serializers.IntegerField(source="company_id")
    origin_hub = serializers.CharField(source="trip.origin_hub.code")
    destination_hub = serializers.CharField(source="trip.destination_hub.code")
    departs_at = serializers.DateTimeField(source="trip.departs_at")
    arrives_at = serializers.DateTimeField(source="trip.arrives_at")
    trip_status = serializers.CharField(source="trip.status")


class EventOutput(serializers.Serializer):
    status = serializers.CharField()
    at = serializers.DateTimeField()
    hub = serializers.SerializerMethodField()
    actor = serializers.IntegerField(source="actor_id", allow_null=True)
    note = serializers.CharField()

    def get_hub(self, event: Any) -> str | None:
        return event.hub.code if event.hub is not None else None


class ShipmentOutput(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    volume_m3 = _amount(7, 3)
    weight_kg = _amount(9, 3)
    price = _amount(12, 2)
    currency = serializers.CharField()
    legs = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_legs(self, shipment: Shipment) -> Any:
        legs = sorted(shipment.legs.all(), key=lambda leg: leg.order)
        return LegOutput(legs, many=True).data


class ShipmentDetailOutput(ShipmentOutput):
    events = serializers.SerializerMethodField()

    def get_events(self, shipment: Shipment) -> Any:
        events = shipment.events.select_related("hub").order_by("at", "id")
        return EventOutput(events, many=True).data


class TripShipmentOutput(serializers.Serializer):
    """One shipment on a trip, for the carrier's staff (no customer details)."""

    reference = serializers.CharField(source="shipment.reference")
    status = serializers.CharField(source="shipment.status")
    leg = serializers.IntegerField(source="order")
    volume_m3 = serializers.DecimalField(
        max_digits=7, decimal_places=3, source="shipment.volume_m3"
    )
    weight_kg = serializers.DecimalField(
        max_digits=9, decimal_places=3, source="shipment.weight_kg"
    )
    created_at = serializers.DateTimeField(source="shipment.created_at")
