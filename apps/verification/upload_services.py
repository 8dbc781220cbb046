"""Uploads of documents: direct multipart, pre-signed S3 POST, and completing the latter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import IO, Any

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.companies.locking import company_lock
from apps.companies.models import Company, Driver, Truck
from apps.core.errors import Invalid, InvalidTransition
from apps.verification import files
from apps.verification.models import Document
from apps.verification.services import company_verification_recompute

logger = structlog.get_logger(__name__)

Kind = Document.Kind


@dataclass(frozen=True)
class DocumentMetadata:
    """What the company tells us about a document (validated against the company here)."""

    kind: str
    number: str
    issuer: str
    issued_on: date
    expires_on: date
    subject_id: int | None = None
    coverage_amount: Decimal | None = None
    currency: str = ""
    policy_type: str = ""


def _subject_fields(*, company: Company, meta: DocumentMetadata) -> dict[str, Any]:
    """{truck, driver} for the kind; a subject of another company is 'not found' like no subject."""
    if meta.kind == Kind.TRUCK_REGISTRATION:
        truck = (
            Truck.objects.filter(company=company, pk=meta.subject_id).first()
            if meta.subject_id is not None
            else None
        )
        if truck is None:
            raise Invalid(details={"subject_id": ["A truck of this company is required."]})
        return {"truck": truck, "driver": None}
    if meta.kind == Kind.DRIVER_LICENCE:
        driver = (
            Driver.objects.filter(company=company, pk=meta.subject_id).first()
            if meta.subject_id is not None
            else None
        )
        if driver is None:
            raise Invalid(details={"subject_id": ["A driver of this company is required."]})
        return {"truck": None, "driver": driver}
    if meta.subject_id is not None:
        raise Invalid(details={"subject_id": ["This kind of document has no subject."]})
    return {"truck": None, "driver": None}


def _metadata_fields(*, company: Company, meta: DocumentMetadata) -> dict[str, Any]:
    """Validated model fields for the metadata (400 with per-field details when wrong)."""
    errors: dict[str, list[str]] = {}
    if meta.expires_on <= meta.issued_on:
        errors["expires_on"] = ["Must be after issued_on."]
    if meta.kind == Kind.INSURANCE_POLICY:
        if meta.coverage_amount is None:
            errors["coverage_amount"] = ["Required for an insurance policy."]
        if not meta.currency:
            errors["currency"] = ["Required for an insurance policy."]
    else:
        for name in ("coverage_amount", "currency", "policy_type"):
            if getattr(meta, name) not in (None, ""):
                errors[name] = ["Only for an insurance policy."]
    if errors:
        raise Invalid(details=errors)
    return {
        "company": company,
        "kind": meta.kind,
        "number": meta.number,
        "issuer": meta.issuer,
        "issued_on": meta.issued_on,
        "expires_on": meta.expires_on,
        "coverage_amount": meta.coverage_amount,
        "currency": meta.currency,
        "policy_type": meta.policy_type,
        **_subject_fields(company=company, meta=meta),
    }


def document_upload(
    *,
    company: Company,
    meta: DocumentMetadata,
    file: IO[bytes],
    original_name: str,
    declared_type: str | None,
    actor: User,
) -> Document:
    """A direct (multipart) upload: check the content, store it under a random key, record it.

    Nothing is stored when the file or the metadata is refused. The file is written before the
    row; if the transaction then fails, the file is deleted again.
    """
    fields = _metadata_fields(company=company, meta=meta)
    measured = files.measure_stream(files.file_chunks(file), declared_type=declared_type)
    key = files.document_key(company_id=company.pk, content_type=measured.content_type)
    files.file_save(key=key, file=file)
    try:
        with transaction.atomic():
            company_lock(company_id=company.pk)
            document = Document.objects.create(
                **fields,
                file_key=key,
                file_original_name=original_name[:255],
                file_size=measured.size,
                file_content_type=measured.content_type,
                file_sha256=measured.sha256,
                uploaded_at=timezone.now(),
                uploaded_by=actor,
            )
            company_verification_recompute(
                company=company, reason=f"Document {document.pk} uploaded.", actor=actor
            )
    except BaseException:
        files.file_delete(key=key)
        raise
    return document


@transaction.atomic
def document_upload_url_create(
    *,
    company: Company,
    meta: DocumentMetadata,
    content_type: str,
    size: int,
    original_name: str,
    actor: User,
) -> tuple[Document, dict[str, Any]]:
    """Start a pre-signed S3 upload: a pending document without file, and the form to POST it.

    The policy pins the key, the Content-Type and the exact size; /complete/ checks it all again
    against the object itself (S3-compatible stores do not all enforce policies).
    """
    if not files.storage_is_s3():
        raise Invalid(
            "Pre-signed uploads need S3 storage (AWS_STORAGE_BUCKET_NAME); "
            "use the multipart upload."
        )
    if content_type not in files.ACCEPTED_TYPES:
        raise Invalid(details={"content_type": ["Only application/pdf, image/jpeg, image/png."]})
    if size <= 0:
        raise Invalid(details={"size": ["The file is empty."]})
    maximum = settings.VERIFICATION_MAX_FILE_BYTES
    if size > maximum:
        raise Invalid(details={"size": [f"The file is larger than {maximum} bytes."]})
    fields = _metadata_fields(company=company, meta=meta)
    key = files.document_key(company_id=company.pk, content_type=content_type)
    document = Document.objects.create(
        **fields,
        file_key=key,
        file_original_name=original_name[:255],
        file_size=size,
        file_content_type=content_type,
        uploaded_by=actor,
    )
    return document, files.s3_presigned_post(key=key, content_type=content_type, size=size)


class NothingUploaded(Invalid):
    """/complete/ was called before the object was uploaded (the pending row stays)."""


def _complete_check(document: Document) -> files.Measured:
    """Check the uploaded object: exists, declared size, real type by magic bytes; then hash it."""
    size = files.s3_object_size(key=document.file_key)
    if size is None:
        raise NothingUploaded(details={"file": ["Nothing was uploaded for this document yet."]})
    if size != document.file_size:
        raise files.file_refused(f"Expected {document.file_size} bytes, got {size}.")
    files.check_content(
        head=files.s3_object_head(key=document.file_key),
        size=size,
        declared_type=document.file_content_type,
    )
    measured = files.measure_stream(
        files.s3_object_chunks(key=document.file_key), declared_type=document.file_content_type
    )
    if measured.size != size:
        raise files.file_refused("The object changed while it was being checked.")
    return measured


def _require_incomplete(document: Document) -> None:
    if document.is_uploaded or document.status != Document.Status.PENDING:
        raise InvalidTransition(f"Document {document.pk}'s upload is already complete.")


def document_upload_complete(*, document: Document, actor: User) -> Document:
    """Finish a pre-signed upload: check the object, record its hash, recompute the status.

    A bad object (size, type, content) is deleted together with its pending row and 400 is
    answered: nothing of the attempt remains. When nothing was uploaded yet, the row stays (the
    client may still upload while the form is valid) and 400 is answered. The object is read
    before any lock is taken; the rows are then locked company first, like every decision.
    """
    _require_incomplete(document)
    if not files.storage_is_s3():
        raise Invalid("This document was not started as a pre-signed S3 upload.")
    refused: Invalid | None = None
    measured: files.Measured | None = None
    try:
        measured = _complete_check(document)
    except NothingUploaded:
        raise
    except Invalid as exc:
        refused = exc
    with transaction.atomic():
        company_lock(company_id=document.company_id)
        locked = Document.objects.select_for_update().get(pk=document.pk)
        _require_incomplete(locked)  # a concurrent /complete/ won the race
        if refused is not None or measured is None:
            files.file_delete(key=locked.file_key)
            locked.delete()
        else:
            locked.file_sha256 = measured.sha256
            locked.file_size = measured.size
            locked.uploaded_at = timezone.now()
            locked.save(update_fields=["file_sha256", "file_size", "uploaded_at", "updated_at"])
            company_verification_recompute(
                company=locked.company, reason=f"Document {locked.pk} uploaded.", actor=actor
            )
    if refused is not None:
        logger.info("verification.upload_refused", document_id=document.pk)
        raise refused  # raised after the commit: the row and the object are gone
    return locked
