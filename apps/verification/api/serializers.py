"""Input and output serializers of the verification API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core import limits
from apps.core.fields import CurrencyField
from apps.core.serializers import PageQueryInput, StrictSerializer
from apps.verification.models import Document
from apps.verification.upload_services import DocumentMetadata


class DocumentMetadataInput(StrictSerializer):
    """What a company says about a document. Multipart uploads send it as form fields (text);
    the pre-signed path as JSON, where the strict JSON types apply."""

    kind = serializers.ChoiceField(choices=Document.Kind.choices)
    subject_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="truck id or driver id"
    )
    number = serializers.CharField(max_length=64)
    issuer = serializers.CharField(max_length=120)
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    coverage_amount = serializers.DecimalField(
        max_digits=limits.MAX_COVERAGE_DIGITS,
        decimal_places=limits.COVERAGE_DECIMAL_PLACES,
        required=False,
        allow_null=True,
        help_text="insurance only: the amount covered, greater than 0",
    )
    currency = CurrencyField(
        required=False, allow_blank=True, default="", help_text="insurance only: ISO 4217"
    )
    policy_type = serializers.ChoiceField(
        choices=Document.PolicyType.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="insurance only, optional",
    )

    def validate_coverage_amount(self, value: Decimal | None) -> Decimal | None:
        if value is not None and value <= 0:
            raise serializers.ValidationError("Must be greater than 0.")
        return value


class DocumentUploadInput(DocumentMetadataInput):
    file = serializers.FileField(help_text="PDF, JPEG or PNG (judged by content), up to 10 MiB")


class DocumentUploadUrlInput(DocumentMetadataInput):
    content_type = serializers.ChoiceField(choices=["application/pdf", "image/jpeg", "image/png"])
    size = serializers.IntegerField(min_value=1, help_text="exact size of the file in bytes")
    original_name = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )


class DocumentListFilterInput(PageQueryInput):
    kind = serializers.ChoiceField(choices=Document.Kind.choices, required=False)
    status = serializers.ChoiceField(choices=Document.Status.choices, required=False)


def metadata_from(data: dict[str, Any]) -> DocumentMetadata:
    return DocumentMetadata(
        kind=data["kind"],
        number=data["number"],
        issuer=data["issuer"],
        issued_on=data["issued_on"],
        expires_on=data["expires_on"],
        subject_id=data.get("subject_id"),
        coverage_amount=data.get("coverage_amount"),
        currency=data.get("currency", ""),
        policy_type=data.get("policy_type", ""),
    )


class DocumentFileOutput(serializers.Serializer):
    original_name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    sha256 = serializers.CharField()
    url = serializers.CharField(help_text="permission-checked download (API path)")


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    company = serializers.IntegerField(source="company_id")
    kind = serializers.CharField()
    subject_id = serializers.IntegerField(allow_null=True)
    number = serializers.CharField()
    issuer = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    coverage_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField(allow_blank=True)
    policy_type = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    rejection_reason = serializers.CharField(allow_blank=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    file = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    @extend_schema_field(DocumentFileOutput(allow_null=True))
    def get_file(self, document: Document) -> dict[str, Any] | None:
        if not document.is_uploaded:
            return None
        return DocumentFileOutput(
            {
                "original_name": document.file_original_name,
                "size": document.file_size,
                "content_type": document.file_content_type,
                "sha256": document.file_sha256,
                "url": reverse(
                    "verification-document-file",
                    kwargs={"company_id": document.company_id, "document_id": document.pk},
                ),
            }
        ).data


class DocumentPageOutput(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DocumentOutput(many=True)


class UploadFormOutput(serializers.Serializer):
    url = serializers.URLField()
    fields = serializers.DictField(child=serializers.CharField())  # type: ignore[assignment]  # a field named "fields" (not Serializer.fields): the metaclass moves it


class UploadUrlOutput(serializers.Serializer):
    document = DocumentOutput()
    upload = UploadFormOutput(help_text="POST the file as multipart form to url with these fields")
    expires_in = serializers.IntegerField()


class MissingOutput(serializers.Serializer):
    # The codes are the document kinds; a plain string keeps the schema to one Kind enum.
    code = serializers.CharField(
        help_text="insurance_policy | operating_licence | truck_registration | driver_licence"
    )
    message = serializers.CharField()


class VerificationOutput(serializers.Serializer):
    status = serializers.ChoiceField(choices=["pending", "verified", "suspended"])
    missing = MissingOutput(many=True)
