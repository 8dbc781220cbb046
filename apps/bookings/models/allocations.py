"""Who drives what, when: truck and driver allocations, never overlapping (PostgreSQL enforces).

An allocation holds a resource for a period `[start, end)`. Two live allocations of one truck
(or one driver) whose periods overlap are refused by an exclusion constraint (btree_gist:
resource `=`, period `&&`); periods that only touch (one ends 12:00, the next starts 12:00) do
not overlap in a half-open range, so back-to-back jobs are fine. Released allocations (a
cancelled or rescheduled booking) keep their row, with `released_at` set, and no longer count.

Moves hold allocations through `booking`; shared-load trips (apps.cargo) will hold a truck the
same way with `purpose = "trip"` and point at their allocation from the trip, so a truck can
never be on a trip and on a move at once.
"""

from __future__ import annotations

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Q

from apps.companies.models import Company, Driver, Truck


class Purpose(models.TextChoices):
    BOOKING = "booking", "Move booking"
    TRIP = "trip", "Shared-load trip"


class _Allocation(models.Model):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.BOOKING)
    booking = models.ForeignKey(
        "bookings.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    period = DateTimeRangeField()  # [start, end)
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class TruckAllocation(_Allocation):
    truck = models.ForeignKey(Truck, on_delete=models.PROTECT, related_name="allocations")

    class Meta:
        ordering = ["period", "id"]
        constraints = [
            ExclusionConstraint(
                name="bookings_truck_allocation_no_overlap",
                expressions=[("truck", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=Q(released_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=~Q(purpose="booking") | Q(booking__isnull=False),
                name="bookings_truck_allocation_booking_has_booking",
            ),
            models.CheckConstraint(
                condition=Q(period__isempty=False), name="bookings_truck_allocation_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["booking"]), models.Index(fields=["company"])]

    def __str__(self) -> str:
        return f"truck {self.truck_id} {self.period}"


class DriverAllocation(_Allocation):
    driver = models.ForeignKey(Driver, on_delete=models.PROTECT, related_name="allocations")

    class Meta:
        ordering = ["period", "id"]
        constraints = [
            ExclusionConstraint(
                name="bookings_driver_allocation_no_overlap",
                expressions=[
                    ("driver", RangeOperators.EQUAL),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(released_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=~Q(purpose="booking") | Q(booking__isnull=False),
                name="bookings_driver_allocation_booking_has_booking",
            ),
            models.CheckConstraint(
                condition=Q(period__isempty=False), name="bookings_driver_allocation_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["booking"]), models.Index(fields=["company"])]

    def __str__(self) -> str:
        return f"driver {self.driver_id} {self.period}"
