"""Inputs of start/complete/cancel and photo uploads; outputs of the invoice and photos."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from apps.bookings.invoice_services import EXTRA_CODE, InvoiceExtra
from apps.core.limits import MAX_NOTES_LENGTH, MAX_QUANTITY
from apps.core.serializers import StrictSerializer

HANDOVER_CODE_REGEX = r"^[0-9]{6}$"
MAX_ACTUAL_HOURS = Decimal(72)
MAX_EXTRAS = 50
MAX_LABEL_LENGTH = 200
MAX_UNIT_PRICE = Decimal(1_000_000)


class StartInput(StrictSerializer):
    """No fields: the body is empty (or `{}`)."""


class CancelInput(StrictSerializer):
    reason = serializers.CharField(
        max_length=MAX_NOTES_LENGTH, required=False, allow_blank=True, default=""
    )


class ExtraInput(StrictSerializer):
    code = serializers.RegexField(r"^[a-z0-9_]{1,64}$", required=False, default=EXTRA_CODE)
    label = serializers.CharField(max_length=MAX_LABEL_LENGTH)  # type: ignore[assignment]  # the contract's name
    quantity = serializers.DecimalField(
        max_digits=6, decimal_places=3, min_value=Decimal("0.001"), max_value=MAX_QUANTITY
    )
    unit_price = serializers.DecimalField(
        max_digits=10, decimal_places=3, min_value=Decimal(0), max_value=MAX_UNIT_PRICE
    )


class CompleteInput(StrictSerializer):
    actual_hours = serializers.DecimalField(
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MAX_ACTUAL_HOURS,
        required=False,
    )
    # max_length goes to the ListSerializer many=True builds (DRF >= 3.14; not in the stubs)
    extras = ExtraInput(many=True, required=False, max_length=MAX_EXTRAS)  # type: ignore[call-arg]
    handover_code = serializers.RegexField(
        HANDOVER_CODE_REGEX,
        required=False,
        error_messages={"invalid": "The customer's 6-digit code."},
    )
    handover_note = serializers.CharField(max_length=MAX_NOTES_LENGTH, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "handover_code" in attrs and "handover_note" in attrs:
            raise serializers.ValidationError(
                {"handover_note": ["Give handover_code or handover_note, not both."]}
            )
        if "handover_code" not in attrs and "handover_note" not in attrs:
            raise serializers.ValidationError(
                {"handover_note": ["Required when there is no handover_code."]}
            )
        return attrs


def complete_arguments(data: dict[str, Any]) -> dict[str, Any]:
    """The validated body as booking_complete's keyword arguments."""
    return {
        "actual_hours": data.get("actual_hours"),
        "extras": [InvoiceExtra(**extra) for extra in data.get("extras", [])],
        "handover_code": data.get("handover_code"),
        "handover_note": data.get("handover_note", ""),
    }


class PhotoUploadInput(StrictSerializer):
    file = serializers.FileField()


class InvoiceLineOutput(serializers.Serializer):
    position = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]  # the line's origin, a field
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the contract's name
    quantity = serializers.DecimalField(max_digits=10, decimal_places=3)
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class InvoiceSellerOutput(serializers.Serializer):
    name = serializers.CharField(source="seller_name")
    legal_name = serializers.CharField(source="seller_legal_name")
    registration_number = serializers.CharField(source="seller_registration_number")
    email = serializers.CharField(source="seller_email")


class InvoiceBuyerOutput(serializers.Serializer):
    name = serializers.CharField(source="buyer_name")
    email = serializers.CharField(source="buyer_email")
    phone = serializers.CharField(source="buyer_phone")


class InvoiceOutput(serializers.Serializer):
    number = serializers.IntegerField()
    booking = serializers.IntegerField(source="booking_id")
    company = serializers.IntegerField(source="company_id")
    issued_at = serializers.DateTimeField()
    currency = serializers.CharField()
    tax_rate_percent = serializers.DecimalField(max_digits=6, decimal_places=3)
    subtotal = serializers.DecimalField(max_digits=12, decimal_places=2)
    tax = serializers.DecimalField(max_digits=12, decimal_places=2)
    total = serializers.DecimalField(max_digits=12, decimal_places=2)
    seller = InvoiceSellerOutput(source="*")
    buyer = InvoiceBuyerOutput(source="*")
    move_date = serializers.DateField()
    origin_address = serializers.CharField()
    destination_address = serializers.CharField()
    lines = InvoiceLineOutput(many=True)


class PhotoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    booking = serializers.IntegerField(source="booking_id")
    content_type = serializers.CharField(source="file_content_type")
    size = serializers.IntegerField(source="file_size")
    sha256 = serializers.CharField(source="file_sha256")
    uploaded_by = serializers.IntegerField(source="uploaded_by_id")
    created_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, photo: Any) -> str:
        return f"/api/v1/bookings/{photo.booking_id}/photos/{photo.pk}/file/"
