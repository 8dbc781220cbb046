"""Move requests, their stored quotes, bookings, the lifecycle table and the booking history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.companies.models import Company
from apps.core.models import TimeStampedModel
from apps.core.statemachine import StateMachine
from apps.pricing.models import PricingConfig


class MoveRequest(TimeStampedModel):
    """What a customer wants moved, where and when: the body of POST /move-requests/.

    The fields that change a price are columns (the engine's MoveSpec is rebuilt from them);
    `inventory` is the list of lines as given: [{"item", "quantity", "volume_m3"?}].
    """

    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="move_requests"
    )
    origin = gis_models.PointField(geography=True, srid=4326)
    destination = gis_models.PointField(geography=True, srid=4326)
    origin_address = models.CharField(max_length=300, blank=True)
    destination_address = models.CharField(max_length=300, blank=True)
    move_date = models.DateField()
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    inventory = models.JSONField(default=list)
    volume_m3 = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    stairs_origin = models.PositiveSmallIntegerField(default=0)
    stairs_destination = models.PositiveSmallIntegerField(default=0)
    lift_origin = models.BooleanField(default=False)
    lift_destination = models.BooleanField(default=False)
    carry_origin_m = models.PositiveIntegerField(default=0)
    carry_destination_m = models.PositiveIntegerField(default=0)
    packing = models.BooleanField(default=False)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__isnull=True, window_end__isnull=True)
                | Q(window_start__isnull=False, window_end__gt=models.F("window_start")),
                name="bookings_moverequest_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(stairs_origin__lte=30, stairs_destination__lte=30),
                name="bookings_moverequest_stairs_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Move request {self.pk} on {self.move_date}"


class Quote(TimeStampedModel):
    """One company's price for one move request, frozen when made.

    It keeps the pricing version it used and its lines, so it never changes afterwards. Open
    quotes expire at `expires_at`; accepting one withdraws the request's others.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    move_request = models.ForeignKey(MoveRequest, on_delete=models.CASCADE, related_name="quotes")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="quotes")
    pricing_config = models.ForeignKey(PricingConfig, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    lines = models.JSONField()  # [{"code", "label", "quantity", "unit_price", "amount"}] as strings
    subtotal = models.DecimalField(max_digits=12, decimal_places=2)
    tax = models.DecimalField(max_digits=12, decimal_places=2)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    tax_rate_percent = models.DecimalField(max_digits=6, decimal_places=3)
    currency = models.CharField(max_length=3)
    estimated_hours = models.DecimalField(max_digits=6, decimal_places=2)
    crew_size = models.PositiveSmallIntegerField()
    volume_m3 = models.DecimalField(max_digits=7, decimal_places=3)
    distance_km = models.DecimalField(max_digits=8, decimal_places=2)
    expires_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["total", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["move_request", "company"], name="bookings_quote_one_per_company"
            ),
            models.UniqueConstraint(
                fields=["move_request"],
                condition=Q(status="accepted"),
                name="bookings_quote_one_accepted_per_request",
            ),
            models.CheckConstraint(
                condition=Q(total__gte=0, subtotal__gte=0, tax__gte=0),
                name="bookings_quote_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Quote {self.pk}: {self.total} {self.currency}"


class Booking(TimeStampedModel):
    """An accepted quote: the job the company does for the customer.

    `scheduled_start`/`scheduled_end` mirror the live allocations' period (allocations.py holds
    the truth the database enforces); `handover_code` is the 6-digit proof-of-delivery code the
    customer shows the driver.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="bookings")
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings"
    )
    move_request = models.OneToOneField(
        MoveRequest, on_delete=models.PROTECT, related_name="booking"
    )
    quote = models.OneToOneField(Quote, on_delete=models.PROTECT, related_name="booking")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=12, decimal_places=2)  # as quoted
    scheduled_start = models.DateTimeField(null=True, blank=True)
    scheduled_end = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    actual_hours = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    handover_code = models.CharField(max_length=6)
    handover_verified = models.BooleanField(default=False)
    handover_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "status"]),
            models.Index(fields=["customer", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["confirmed", "scheduled", "in_progress", "completed", "cancelled"]
                ),
                name="bookings_booking_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(scheduled_start__isnull=True, scheduled_end__isnull=True)
                | Q(scheduled_end__gt=models.F("scheduled_start")),
                name="bookings_booking_schedule_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_start__isnull=False),
                name="bookings_booking_scheduled_has_period",
            ),
            models.CheckConstraint(
                condition=Q(handover_code__regex=r"^[0-9]{6}$"),
                name="bookings_booking_handover_code_digits",
            ),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} ({self.status})"


# The lifecycle: who may take each step is the service's business (lifecycle_services.py).
BOOKING_LIFECYCLE = StateMachine(
    name="booking",
    transitions={
        Booking.Status.CONFIRMED: [Booking.Status.SCHEDULED, Booking.Status.CANCELLED],
        # scheduled -> scheduled is a reschedule
        Booking.Status.SCHEDULED: [
            Booking.Status.SCHEDULED,
            Booking.Status.IN_PROGRESS,
            Booking.Status.CANCELLED,
        ],
        Booking.Status.IN_PROGRESS: [Booking.Status.COMPLETED],
    },
)


class BookingEvent(models.Model):
    """One step of a booking's history. Append-only: a trigger refuses UPDATE and DELETE."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32)  # confirmed, scheduled, rescheduled, started, ...
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["booking", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"
