"""Verification records: documents, their append-only review history, status changes, reminders."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from apps.companies.models import Company, Driver, Truck, currency_validator
from apps.core.statemachine import StateMachine


class Document(models.Model):
    """A document a company uploads for review: insurance, operating licence, registration, licence.

    `truck` is the subject of a registration, `driver` of a driving licence; company-level kinds
    have neither (CHECK constraints). At most one approved document per (company, kind, subject):
    a partial unique constraint makes a second one impossible; approving a newer one supersedes it.
    """

    class Kind(models.TextChoices):
        INSURANCE_POLICY = "insurance_policy", "Insurance policy"
        OPERATING_LICENCE = "operating_licence", "Operating licence"
        TRUCK_REGISTRATION = "truck_registration", "Truck registration"
        DRIVER_LICENCE = "driver_licence", "Driver licence"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        EXPIRED = "expired", "Expired"
        SUPERSEDED = "superseded", "Superseded"

    class PolicyType(models.TextChoices):
        GOODS_IN_TRANSIT = "goods_in_transit", "Goods in transit"
        PUBLIC_LIABILITY = "public_liability", "Public liability"
        COMBINED = "combined", "Combined (goods in transit + public liability)"

    # PROTECT: review history is append-only (a trigger refuses DELETE), so documents are never
    # deleted along with a company, truck or driver; those are retired/deactivated instead.
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    truck = models.ForeignKey(
        Truck, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    driver = models.ForeignKey(
        Driver, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    number = models.CharField(max_length=64)
    issuer = models.CharField(max_length=120)
    issued_on = models.DateField()
    expires_on = models.DateField()
    # Insurance only (CHECK constraints): the amount covered, in `currency`, and the policy type
    # (optional, blank when not given).
    coverage_amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    currency = models.CharField(max_length=3, blank=True, validators=[currency_validator])
    policy_type = models.CharField(max_length=32, choices=PolicyType.choices, blank=True)

    # The file: a random storage key (never the user's name), what we measured of its content.
    file_key = models.CharField(max_length=255, unique=True)
    file_original_name = models.CharField(max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_content_type = models.CharField(max_length=64)
    file_sha256 = models.CharField(max_length=64, blank=True)
    # NULL while a pre-signed S3 upload has not been completed (no file to review yet).
    uploaded_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_documents",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True, max_length=2000)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uploaded_documents",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("review_document", "Can approve or reject documents")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "insurance_policy",
                        "operating_licence",
                        "truck_registration",
                        "driver_licence",
                    ]
                ),
                name="verification_document_kind",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["pending", "approved", "rejected", "expired", "superseded"]
                ),
                name="verification_document_status",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="truck_registration", truck__isnull=False, driver__isnull=True)
                    | Q(kind="driver_licence", driver__isnull=False, truck__isnull=True)
                    | Q(
                        kind__in=["insurance_policy", "operating_licence"],
                        truck__isnull=True,
                        driver__isnull=True,
                    )
                ),
                name="verification_document_subject_matches_kind",
            ),
            models.CheckConstraint(
                # policy_type is optional for insurance (blank when not given).
                condition=Q(
                    kind="insurance_policy",
                    coverage_amount__isnull=False,
                    coverage_amount__gte=0,
                    currency__regex=r"^[A-Z]{3}$",
                )
                | (
                    ~Q(kind="insurance_policy")
                    & Q(coverage_amount__isnull=True, currency="", policy_type="")
                ),
                name="verification_document_insurance_fields",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("issued_on")),
                name="verification_document_expires_after_issued",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="verification_document_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(uploaded_at__isnull=False),
                name="verification_document_reviewed_has_file",
            ),
            models.CheckConstraint(
                condition=Q(uploaded_at__isnull=True) | (Q(file_size__gt=0) & ~Q(file_sha256="")),
                name="verification_document_uploaded_file_measured",
            ),
            # Two approved documents of the same kind for the same subject are impossible.
            # NULLS NOT DISTINCT: company-level kinds have truck = driver = NULL.
            models.UniqueConstraint(
                fields=["company", "kind", "truck", "driver"],
                condition=Q(status="approved"),
                nulls_distinct=False,
                name="verification_document_one_approved_per_subject",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "kind", "status"]),
            models.Index(fields=["status", "expires_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number} ({self.company})"

    @property
    def subject_id(self) -> int | None:
        return self.truck_id or self.driver_id

    @property
    def is_uploaded(self) -> bool:
        return self.uploaded_at is not None


# Who may become what (services apply it under the row lock; anything else is a 409). Pending
# documents are decided or expire; approved ones are superseded by a newer approval or expire.
DOCUMENT_LIFECYCLE = StateMachine(
    name="document",
    transitions={
        Document.Status.PENDING: [
            Document.Status.APPROVED,
            Document.Status.REJECTED,
            Document.Status.EXPIRED,
        ],
        Document.Status.APPROVED: [Document.Status.SUPERSEDED, Document.Status.EXPIRED],
    },
)


class DocumentReview(models.Model):
    """One decision on a document (approve, reject, supersede, expire). Append-only (a trigger)."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="document_reviews")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="reviews")
    # NULL for the system (expiry sweep, superseding as a consequence of an approval).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=16, choices=Document.Status.choices)
    to_status = models.CharField(max_length=16, choices=Document.Status.choices)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_status} -> {self.to_status}"


class CompanyStatusChange(models.Model):
    """A change of a company's verification status, with what was missing. Append-only."""

    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="verification_status_changes"
    )
    from_status = models.CharField(max_length=16, choices=Company.VerificationStatus.choices)
    to_status = models.CharField(max_length=16, choices=Company.VerificationStatus.choices)
    reason = models.CharField(max_length=255)
    # The codes missing at the time (see selectors.company_verification_missing).
    missing = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.from_status} -> {self.to_status}"


class DocumentReminder(models.Model):
    """A reminder that a document expires in `days_before` days: the row is the claim to send it.

    The unique constraint makes a second claim for the same (document, days_before) impossible,
    whoever runs the sweep and however often; `sent_at` is set once the e-mail went out.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "days_before"], name="verification_reminder_once"
            ),
            models.CheckConstraint(
                condition=Q(days_before__gt=0), name="verification_reminder_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"document {self.document_id}, {self.days_before} days before"


class CompanyVerification(Company):
    """Proxy of Company for the verification admin (status, history, suspend/unsuspend)."""

    class Meta:
        proxy = True
        verbose_name = "company verification"
        verbose_name_plural = "company verifications"
        permissions = [("suspend_company", "Can suspend or unsuspend a company")]
