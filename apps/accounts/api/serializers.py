"""Input/output serializers of the accounts API, and `parse` (validate or 400 in the envelope)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from apps.accounts.identifiers import destination_from, email_normalise, phone_normalise
from apps.accounts.models import LOGIN_CODE_DIGITS
from apps.core.serializers import StrictSerializer


class DestinationInput(StrictSerializer):
    phone = serializers.CharField(
        required=False, max_length=32, help_text="E.164, e.g. +33612345678"
    )
    email = serializers.EmailField(required=False, max_length=254)

    def validate_phone(self, value: str) -> str:
        try:
            return phone_normalise(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate_email(self, value: str) -> str:
        try:
            return email_normalise(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["destination"] = destination_from(
                phone=attrs.get("phone"), email=attrs.get("email")
            )
        except ValueError as exc:
            raise serializers.ValidationError({"non_field_errors": [str(exc)]}) from exc
        return attrs


class OtpVerifyInput(DestinationInput):
    code = serializers.RegexField(
        rf"^[0-9]{{{LOGIN_CODE_DIGITS}}}$",
        error_messages={"invalid": f"The code has {LOGIN_CODE_DIGITS} digits."},
    )


class UserMembershipOutput(serializers.Serializer):
    company = serializers.IntegerField()
    role = serializers.CharField()


class UserOutput(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    memberships = UserMembershipOutput(many=True)


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class LoginOutput(TokenPairOutput):
    user = UserOutput()


class StaffTokenInput(StrictSerializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=1024, trim_whitespace=False)
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=16, help_text="authenticator code, if enrolled"
    )


class RefreshInput(StrictSerializer):
    refresh = serializers.CharField(max_length=4096)


class ProfileInput(StrictSerializer):
    """Only `name`: e-mail and phone are login identifiers (see MeApi)."""

    name = serializers.CharField(required=False, max_length=150, allow_blank=True)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            fixed = sorted({"email", "phone"} & set(data))
            if fixed:
                raise serializers.ValidationError(
                    {
                        name: ["Login identifiers cannot be changed here (needs re-verification)."]
                        for name in fixed
                    }
                )
        return super().to_internal_value(data)


class TotpEnrolmentOutput(serializers.Serializer):
    otpauth_uri = serializers.CharField()
    qr_svg = serializers.CharField(help_text="SVG image of otpauth_uri as a QR code")


class TotpConfirmInput(StrictSerializer):
    otp = serializers.RegexField(r"^[0-9]{6,8}$", error_messages={"invalid": "Enter the 6 digits."})


class TotpConfirmOutput(serializers.Serializer):
    confirmed = serializers.BooleanField()
