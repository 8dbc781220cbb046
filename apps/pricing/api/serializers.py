"""Input and output shapes of the pricing API, and the move-request body bookings reuses.

`MoveRequestInput` is the body of `POST /api/v1/move-requests/` (bookings imports it);
`EstimateInput` is exactly that body plus `company`. The limits come from apps.core.limits.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from apps.core import limits
from apps.core.fields import AwareDateTimeField, CalendarDateField, DecimalTextField, LatLngField
from apps.core.serializers import StrictSerializer
from apps.pricing.engine.values import InventoryLine, MoveSpec
from apps.pricing.errors import engine_errors_as_invalid

# --- rules versions --------------------------------------------------------------------------


class PricingConfigSummaryOutput(serializers.Serializer):
    version = serializers.IntegerField()
    currency = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)


class PricingConfigOutput(serializers.Serializer):
    version = serializers.IntegerField()
    currency = serializers.CharField()
    rules = serializers.JSONField(help_text="The validated rules document (docs/pricing.md).")
    created_at = serializers.DateTimeField()
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)


# --- the move: a move request's body, and an estimate's ----------------------------------------


class VolumeField(serializers.DecimalField):
    """Cubic metres in (0, 200], at most 3 decimals, kept as written ("20", not "20.000")."""

    def __init__(self, **kwargs: Any):
        super().__init__(
            max_digits=6,
            decimal_places=limits.VOLUME_DECIMAL_PLACES,
            min_value=limits.MIN_VOLUME_M3,
            max_value=limits.MAX_VOLUME_M3,
            required=False,
            allow_null=True,
            **kwargs,
        )

    def quantize(self, value: Decimal) -> Decimal:
        return value  # validate_precision already refused more than 3 decimals


class InventoryLineInput(StrictSerializer):
    item = serializers.CharField(
        max_length=limits.MAX_ITEM_NAME_LENGTH, help_text="Catalogue code, or your own name."
    )
    quantity = serializers.IntegerField(
        min_value=limits.MIN_QUANTITY, max_value=limits.MAX_QUANTITY
    )
    volume_m3 = VolumeField(help_text="Per unit; required for an item not in the catalogue.")


def _stairs(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=0, max_value=limits.MAX_STAIRS_FLIGHTS, default=0, **kwargs
    )


def _carry(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=limits.MAX_CARRY_M, default=0, **kwargs)


class MoveRequestInput(StrictSerializer):
    """The body of a move request: where, when, what, and how hard each end is to work at.

    Addresses, notes and the arrival window do not change a price; the window's start (in the
    company's time zone) is the move's start time for after-hours rules.
    """

    origin = LatLngField()
    destination = LatLngField()
    origin_address = serializers.CharField(
        max_length=limits.MAX_ADDRESS_LENGTH, required=False, allow_blank=True, default=""
    )
    destination_address = serializers.CharField(
        max_length=limits.MAX_ADDRESS_LENGTH, required=False, allow_blank=True, default=""
    )
    move_date = CalendarDateField(help_text="YYYY-MM-DD")
    window_start = AwareDateTimeField(
        required=False, allow_null=True, help_text="Arrival window start, ISO-8601 with offset."
    )
    window_end = AwareDateTimeField(
        required=False, allow_null=True, help_text="Arrival window end, after window_start."
    )
    inventory = InventoryLineInput(many=True, min_length=1, max_length=limits.MAX_INVENTORY_LINES)  # type: ignore[call-arg]  # many=True hands these to ListSerializer
    volume_m3 = VolumeField(
        help_text="Your own estimate of the total; replaces the inventory's sum."
    )
    stairs_origin = _stairs(help_text="Flights of stairs without a usable lift.")
    stairs_destination = _stairs()
    lift_origin = serializers.BooleanField(default=False)
    lift_destination = serializers.BooleanField(default=False)
    carry_origin_m = _carry(help_text="Metres from the truck to the door.")
    carry_destination_m = _carry()
    packing = serializers.BooleanField(default=False)
    notes = serializers.CharField(
        max_length=limits.MAX_NOTES_LENGTH, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("window_start"), attrs.get("window_end")
        if (start is None) != (end is None):
            missing = "window_end" if end is None else "window_start"
            raise serializers.ValidationError(
                {missing: ["window_start and window_end go together."]}
            )
        if start is not None and end <= start:
            raise serializers.ValidationError({"window_end": ["Must be after window_start."]})
        return attrs


class EstimateInput(MoveRequestInput):
    """A move request's body plus the company that prices it."""

    company = serializers.IntegerField(min_value=1)


_MOVE_SPEC_FIELDS = (
    "move_date",
    "volume_m3",
    "stairs_origin",
    "stairs_destination",
    "lift_origin",
    "lift_destination",
    "carry_origin_m",
    "carry_destination_m",
    "packing",
)


def move_spec_from(data: dict[str, Any]) -> MoveSpec:
    """The engine's MoveSpec from validated MoveRequestInput data (what changes a price)."""
    inventory = tuple(
        InventoryLine(line["item"], line["quantity"], line.get("volume_m3"))
        for line in data["inventory"]
    )
    with engine_errors_as_invalid():
        fields: dict[str, Any] = {name: data.get(name) for name in _MOVE_SPEC_FIELDS}
        return MoveSpec(inventory=inventory, **fields)


# --- the quote -----------------------------------------------------------------------------------


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
