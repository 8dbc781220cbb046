"""Positions of trucks, each truck's latest one, booking share links, and arrivals noticed once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Q

from apps.bookings.models import Booking
from apps.companies.models import Company, Driver, Truck


class Position(models.Model):
    """One GPS fix a driver's app sent, tied by the server to the driver's truck and (when one is
    in progress) booking from the allocations, never to ids the client claims.

    Append-mostly and large: BRIN on `recorded_at` (rows arrive roughly in time order), GiST on
    the point. A (driver, recorded_at) pair is stored once: resent backlogs are ignored.
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    truck = models.ForeignKey(Truck, on_delete=models.CASCADE, related_name="positions")
    driver = models.ForeignKey(Driver, on_delete=models.CASCADE, related_name="positions")
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="positions"
    )
    point = gis_models.PointField(geography=True, srid=4326)
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField()
    heading = models.FloatField(null=True, blank=True)  # degrees from north, [0, 360)
    speed = models.FloatField(null=True, blank=True)  # m/s
    accuracy = models.FloatField(null=True, blank=True)  # metres

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["driver", "recorded_at"], name="tracking_position_once_per_driver_time"
            ),
        ]
        indexes = [
            BrinIndex(fields=["recorded_at"], name="tracking_position_recorded_brin"),
            models.Index(fields=["booking", "recorded_at"], name="tracking_position_booking_idx"),
            models.Index(fields=["truck", "recorded_at"], name="tracking_position_truck_idx"),
        ]

    def __str__(self) -> str:
        return f"truck {self.truck_id} at {self.recorded_at:%Y-%m-%d %H:%M:%S}"


class TruckLastPosition(models.Model):
    """The latest stored position of each truck (the fleet view), updated once per flush."""

    truck = models.OneToOneField(
        Truck, on_delete=models.CASCADE, primary_key=True, related_name="last_position"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    driver = models.ForeignKey(Driver, on_delete=models.SET_NULL, null=True, related_name="+")
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, related_name="+")
    point = gis_models.PointField(geography=True, srid=4326)
    recorded_at = models.DateTimeField()
    heading = models.FloatField(null=True, blank=True)
    speed = models.FloatField(null=True, blank=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["truck_id"]
        indexes = [models.Index(fields=["company"], name="tracking_lastpos_company_idx")]

    def __str__(self) -> str:
        return f"truck {self.truck_id} last at {self.recorded_at:%Y-%m-%d %H:%M:%S}"


class ShareLink(models.Model):
    """An expiring, revocable link to watch one booking's truck while the job is in progress.

    Only the SHA-256 of the token is stored (the token is shown once, at creation).
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="share_links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="tracking_sharelink_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"share link {self.pk} of booking {self.booking_id}"


class ArrivalNotice(models.Model):
    """The truck came within reach of a stop: inserted once per (booking, stop), whichever
    process sees it first (INSERT ... ON CONFLICT DO NOTHING); only that one emits the event."""

    class Stop(models.TextChoices):
        ORIGIN = "origin", "Pickup"
        DESTINATION = "destination", "Drop-off"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="+")
    stop = models.CharField(max_length=16, choices=Stop.choices)
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "stop"], name="tracking_arrival_once"),
        ]

    def __str__(self) -> str:
        return f"{self.stop} of booking {self.booking_id}"
