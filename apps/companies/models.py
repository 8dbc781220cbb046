"""Companies and what they run: memberships (staff roles), trucks, drivers, service areas."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper

from apps.core.models import TimeStampedModel

currency_validator = RegexValidator(r"^[A-Z]{3}$", "An ISO 4217 code such as EUR.")


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not an IANA time zone.")


class Company(TimeStampedModel):
    class VerificationStatus(models.TextChoices):
        PENDING = "pending", "Pending"
        VERIFIED = "verified", "Verified"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    legal_name = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=64)
    email = models.EmailField(max_length=254)
    phone = models.CharField(max_length=16, help_text="E.164")
    base_location = gis_models.PointField(geography=True, srid=4326)
    currency = models.CharField(max_length=3, validators=[currency_validator])
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    # Only apps.verification changes this (through its status service).
    verification_status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verification_changed_at = models.DateTimeField(null=True, blank=True)
    # Kept by apps.bookings' review service with F() updates in the review's transaction:
    # rating = rating_sum / review_count (CHECK: both move together).
    review_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "companies"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_number"], name="companies_company_registration_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    rating_sum__gte=models.F("review_count"),
                    rating_sum__lte=models.F("review_count") * 5,
                ),
                name="companies_company_rating_in_range",
            ),
        ]
        indexes = [models.Index(fields=["verification_status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.VerificationStatus.VERIFIED


class Membership(TimeStampedModel):
    """A user's role in one company; a user may belong to several companies."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        DISPATCHER = "dispatcher", "Dispatcher"
        DRIVER = "driver", "Driver"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    # Set when the invitation e-mail goes out (the send task claims the row first: at most once).
    invitation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="companies_membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["owner", "dispatcher", "driver"]),
                name="companies_membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.company}"


class Truck(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        MAINTENANCE = "maintenance", "In maintenance"
        RETIRED = "retired", "Retired"

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="trucks")
    plate = models.CharField(max_length=16)
    label = models.CharField(max_length=64, blank=True)
    capacity_m3 = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(0)]
    )
    payload_kg = models.PositiveIntegerField()
    home_location = gis_models.PointField(geography=True, srid=4326, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["plate", "id"]
        constraints = [
            models.UniqueConstraint(
                "company", Upper("plate"), name="companies_truck_plate_unique_per_company"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity_m3__gt=0), name="companies_truck_capacity_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(payload_kg__gt=0), name="companies_truck_payload_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plate} ({self.label})" if self.label else self.plate


class Driver(TimeStampedModel):
    """A member with the driver role who can be assigned to a truck."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="drivers")
    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="driver")
    licence_number = models.CharField(max_length=32)
    phone = models.CharField(max_length=16, help_text="E.164")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "licence_number"], name="companies_driver_licence_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} ({self.licence_number})"


class ServiceArea(TimeStampedModel):
    """Where a company works: a (multi)polygon on the sphere (geography, GiST-indexed)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=120)
    area = gis_models.MultiPolygonField(geography=True, srid=4326)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.company}: {self.name}"
