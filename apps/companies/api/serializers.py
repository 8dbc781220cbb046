"""Input and output shapes of the companies API (parsing only; rules live in the services)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.companies.api.fields import DistanceKmField, GeoJsonAreaField
from apps.companies.geometry import (
    MAX_RADIUS_KM,
    GeometryInvalid,
    multipolygon_from_circle,
    multipolygon_to_geojson,
)
from apps.companies.models import Membership, Truck
from apps.companies.selectors import company_rating
from apps.core.fields import CurrencyField, LatLngField, PhoneField, TimezoneField
from apps.core.limits import MAX_VOLUME_M3, MAX_WEIGHT_KG
from apps.core.serializers import StrictSerializer

REGISTRATION_NUMBER_REGEX = r"^[A-Za-z0-9][A-Za-z0-9 ./-]{0,63}$"
PLATE_REGEX = r"^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$"

# --- companies ---------------------------------------------------------------------------------


class CompanyCreateInput(StrictSerializer):
    name = serializers.CharField(max_length=120)
    legal_name = serializers.CharField(max_length=200)
    registration_number = serializers.RegexField(REGISTRATION_NUMBER_REGEX, max_length=64)
    email = serializers.EmailField(max_length=254)
    phone = PhoneField()
    base_location = LatLngField()
    currency = CurrencyField()
    timezone = TimezoneField()


class CompanyUpdateInput(StrictSerializer):
    """PATCH: every field optional; registration_number and verification_status are not here."""

    name = serializers.CharField(max_length=120, required=False)
    legal_name = serializers.CharField(max_length=200, required=False)
    email = serializers.EmailField(max_length=254, required=False)
    phone = PhoneField(required=False)
    base_location = LatLngField(required=False)
    currency = CurrencyField(required=False)
    timezone = TimezoneField(required=False)


class _RatingMixin(serializers.Serializer):
    """`rating`: the mean of the company's reviews to 2 decimals (half up), null when unrated.

    Read from the company's own counters (review_count, rating_sum), which the review service
    keeps in the review's transaction; search orders by the same rounded value.
    """

    rating = serializers.SerializerMethodField()
    review_count = serializers.IntegerField()

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_rating(self, company: Any) -> float | None:
        return company_rating(review_count=company.review_count, rating_sum=company.rating_sum)


class CompanyOutput(_RatingMixin):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    legal_name = serializers.CharField()
    registration_number = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    base_location = LatLngField()
    currency = serializers.CharField()
    timezone = serializers.CharField()
    verification_status = serializers.CharField()
    created_at = serializers.DateTimeField()


class CompanySearchOutput(_RatingMixin):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    base_location = LatLngField()
    currency = serializers.CharField()
    timezone = serializers.CharField()
    distance_km = DistanceKmField(source="distance_m", allow_null=True)


# --- trucks ------------------------------------------------------------------------------------


class TruckInput(StrictSerializer):
    plate = serializers.RegexField(
        PLATE_REGEX,
        max_length=16,
        error_messages={"invalid": "Letters, digits, spaces and hyphens; at most 16."},
    )
    label = serializers.CharField(max_length=64, allow_blank=True, required=False)  # type: ignore[assignment]  # a field named "label" (not Field.label): the metaclass moves it
    capacity_m3 = serializers.DecimalField(max_digits=6, decimal_places=2)
    payload_kg = serializers.IntegerField()
    home_location = LatLngField(allow_null=True, required=False)
    status = serializers.ChoiceField(choices=Truck.Status.choices, required=False)

    def validate_capacity_m3(self, value: Decimal) -> Decimal:
        if not Decimal(0) < value <= MAX_VOLUME_M3:
            raise serializers.ValidationError(
                f"Must be greater than 0 and at most {MAX_VOLUME_M3}."
            )
        return value

    def validate_payload_kg(self, value: int) -> int:
        if not 0 < value <= MAX_WEIGHT_KG:
            raise serializers.ValidationError(f"Must be between 1 and {MAX_WEIGHT_KG}.")
        return value


class TruckOutput(serializers.Serializer):
    id = serializers.IntegerField()
    plate = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label" (not Field.label): the metaclass moves it
    capacity_m3 = serializers.DecimalField(max_digits=6, decimal_places=2)
    payload_kg = serializers.IntegerField()
    home_location = LatLngField(allow_null=True)
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


# --- service areas -----------------------------------------------------------------------------


class ServiceAreaInput(StrictSerializer):
    """{"name", "geometry"} or {"name", "center", "radius_km"}; PATCH may send either shape."""

    name = serializers.CharField(max_length=120)
    geometry = GeoJsonAreaField(required=False)
    center = LatLngField(required=False)
    radius_km = serializers.FloatField(
        required=False, help_text=f"Kilometres, 0 < radius_km <= {MAX_RADIUS_KM:g}."
    )

    def validate_radius_km(self, value: float) -> float:
        if not (math.isfinite(value) and 0 < value <= MAX_RADIUS_KM):
            raise serializers.ValidationError(
                f"Must be greater than 0 and at most {MAX_RADIUS_KM:g} km."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        has_geometry = "geometry" in attrs
        has_circle = "center" in attrs or "radius_km" in attrs
        if has_geometry and has_circle:
            raise serializers.ValidationError(
                {"geometry": ["Send either geometry, or center and radius_km; not both."]}
            )
        result = {"name": attrs["name"]} if "name" in attrs else {}
        if has_geometry:
            result["area"] = attrs["geometry"]
        elif has_circle:
            missing = [name for name in ("center", "radius_km") if name not in attrs]
            if missing:
                raise serializers.ValidationError(
                    {name: ["center and radius_km go together."] for name in missing}
                )
            try:
                result["area"] = multipolygon_from_circle(
                    center=attrs["center"], radius_km=attrs["radius_km"]
                )
            except GeometryInvalid as exc:
                raise serializers.ValidationError({"center": [str(exc)]}) from exc
        elif not self.partial:
            raise serializers.ValidationError(
                {"geometry": ["Send geometry (GeoJSON), or center and radius_km."]}
            )
        return result


class ServiceAreaOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    geometry = serializers.SerializerMethodField()

    @extend_schema_field({"type": "object", "description": "GeoJSON MultiPolygon"})
    def get_geometry(self, service_area: Any) -> dict[str, Any]:
        return multipolygon_to_geojson(service_area.area)


# --- members, drivers, invitations -------------------------------------------------------------


class MemberInviteInput(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Membership.Role.choices)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)


class MemberUpdateInput(StrictSerializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class MemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email", allow_null=True)
    name = serializers.CharField(source="user.name")
    role = serializers.CharField()
    is_active = serializers.BooleanField()
    invitation_sent_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class DriverCreateInput(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    licence_number = serializers.CharField(max_length=32)
    phone = PhoneField()


class DriverUpdateInput(StrictSerializer):
    licence_number = serializers.CharField(max_length=32, required=False)
    phone = PhoneField(required=False)


class DriverOutput(serializers.Serializer):
    id = serializers.IntegerField()
    membership_id = serializers.IntegerField()
    user_id = serializers.IntegerField(source="membership.user_id")
    email = serializers.EmailField(source="membership.user.email", allow_null=True)
    name = serializers.CharField(source="membership.user.name")
    licence_number = serializers.CharField()
    phone = serializers.CharField()
    is_active = serializers.BooleanField(source="membership.is_active")


class InvitationAcceptInput(StrictSerializer):
    token = serializers.CharField(max_length=1000)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class InvitationAcceptOutput(serializers.Serializer):
    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    company_id = serializers.IntegerField()
    company_name = serializers.CharField(source="company.name")
    role = serializers.CharField()
