"""Input and output shapes of the pricing API (parsing and rendering only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.errors import Invalid
from apps.core.geo import LatLngField as PointField
from apps.core.serializers import StrictSerializer
from apps.pricing.errors import engine_errors_as_invalid
from apps.pricing.quote import MAX_QUANTITY, MAX_STAIRS, InventoryLine, MoveSpec

MAX_INVENTORY_LINES = 200
MAX_CARRY_M = 500
MIN_VOLUME_M3 = Decimal("0.001")  # (0, 200] at the three decimals volumes may have
MAX_VOLUME_M3 = Decimal(200)


# --- errors --------------------------------------------------------------------------------------


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as dotted paths: {"inventory": [{}, {"quantity": [..]}]} ->
    {"inventory.1.quantity": [..]}, the same shape as the engine's errors."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            if key == "non_field_errors" and prefix:  # a list's own error (too many lines)
                flat.update(_flatten(value, prefix))
            else:
                flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            if item:
                flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages]}


def parse(serializer_class: type[serializers.Serializer], data: Any) -> Any:
    """Validated data, or Invalid (400) whose details are dotted field paths."""
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise Invalid(details=_flatten(serializer.errors))
    return serializer.validated_data


# --- rules versions --------------------------------------------------------------------------


class PricingConfigSummaryOutput(serializers.Serializer):
    version = serializers.IntegerField()
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)


class PricingConfigOutput(serializers.Serializer):
    version = serializers.IntegerField()
    currency = serializers.CharField()
    rules = serializers.JSONField(help_text="The validated rules document (README: Pricing).")
    created_at = serializers.DateTimeField()
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)


# --- estimates -----------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "format": "decimal", "example": "249.50"})
class DecimalTextField(serializers.CharField):
    """A decimal rendered as a string, keeping its scale ("0.0500", "180.00")."""


class VolumeField(serializers.DecimalField):
    """Cubic metres in (0, 200], at most 3 decimals, kept as written ("20", not "20.000")."""

    def __init__(self, **kwargs: Any):
        super().__init__(
            max_digits=6,
            decimal_places=3,
            min_value=MIN_VOLUME_M3,
            max_value=MAX_VOLUME_M3,
            required=False,
            allow_null=True,
            **kwargs,
        )

    def quantize(self, value: Decimal) -> Decimal:
        return value  # validate_precision already refused more than 3 decimals


class InventoryLineInput(StrictSerializer):
    item = serializers.CharField(max_length=64, help_text="Catalogue code, or your own name.")
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    volume_m3 = VolumeField(help_text="Per unit; required for an item not in the catalogue.")


class EstimateInput(StrictSerializer):
    company = serializers.IntegerField(min_value=1)
    origin = PointField()
    destination = PointField()
    move_date = serializers.DateField(input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD")
    start_time = serializers.TimeField(
        input_formats=["%H:%M"], required=False, allow_null=True, help_text="HH:MM, local"
    )
    inventory = InventoryLineInput(many=True, min_length=1, max_length=MAX_INVENTORY_LINES)  # type: ignore[call-arg]  # many=True hands these to ListSerializer
    volume_m3 = VolumeField(
        help_text="Your own estimate of the total; replaces the inventory's sum."
    )
    stairs_origin = serializers.IntegerField(min_value=0, max_value=MAX_STAIRS, default=0)
    stairs_destination = serializers.IntegerField(min_value=0, max_value=MAX_STAIRS, default=0)
    lift_origin = serializers.BooleanField(default=False)
    lift_destination = serializers.BooleanField(default=False)
    carry_origin_m = serializers.IntegerField(min_value=0, max_value=MAX_CARRY_M, default=0)
    carry_destination_m = serializers.IntegerField(min_value=0, max_value=MAX_CARRY_M, default=0)
    packing = serializers.BooleanField(default=False)


def move_spec_from(data: dict[str, Any]) -> MoveSpec:
    """The engine's MoveSpec from validated EstimateInput data."""
    fields = {name: value for name, value in data.items() if name not in _NOT_MOVE_FIELDS}
    fields["inventory"] = tuple(
        InventoryLine(line["item"], line["quantity"], line.get("volume_m3"))
        for line in data["inventory"]
    )
    with engine_errors_as_invalid():
        return MoveSpec(**fields)


_NOT_MOVE_FIELDS = frozenset({"company", "origin", "destination"})


class QuoteLineOutput(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label" (not Field.label): the metaclass moves it
    quantity = DecimalTextField()
    unit_price = DecimalTextField()
    amount = DecimalTextField()


class EstimateOutput(serializers.Serializer):
    company = serializers.IntegerField()
    lines = QuoteLineOutput(many=True)
    subtotal = DecimalTextField()
    tax = DecimalTextField()
    total = DecimalTextField()
    currency = serializers.CharField()
    estimated_hours = DecimalTextField()
    crew_size = serializers.IntegerField()
    volume_m3 = DecimalTextField()
    distance_km = DecimalTextField()
    pricing_version = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
