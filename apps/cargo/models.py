"""Shared loads: hubs, trips sold by the cubic metre, shipments over one or two legs, their history.

Invariant 2 of docs/architecture.md lives here: a trip never sells more volume or weight than it
has. The CHECK constraints below refuse `sold > capacity` whatever writes the row; the
reservation service adds to `sold_*` only with a conditional UPDATE, so a full trip answers
`capacity_exhausted` instead of an IntegrityError. A trip holds its truck through a
`bookings.TruckAllocation` with `purpose = "trip"`, so the truck exclusion constraint also
keeps a truck from being on a trip and on a move at once.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from apps.bookings.models import TruckAllocation
from apps.companies.models import Company, Truck, currency_validator, validate_timezone
from apps.core.models import TimeStampedModel
from apps.core.statemachine import StateMachine

# Upper-case letters and digits, 3 to 8 of them: what route search and the admin take.
hub_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,8}$", "3 to 8 upper-case letters or digits, such as BER."
)


class Hub(TimeStampedModel):
    """A depot trips leave from and arrive at (managed in the admin). `code` is like BER."""

    code = models.CharField(
        max_length=8,
        unique=True,
        validators=[hub_code_validator],
    )
    name = models.CharField(max_length=120)
    location = gis_models.PointField(geography=True, srid=4326)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9]{3,8}$"), name="cargo_hub_code_format"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TripStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    DEPARTED = "departed", "Departed"
    ARRIVED = "arrived", "Arrived"
    CANCELLED = "cancelled", "Cancelled"


TRIP_LIFECYCLE = StateMachine(
    name="trip",
    transitions={
        TripStatus.SCHEDULED: [TripStatus.DEPARTED, TripStatus.CANCELLED],
        TripStatus.DEPARTED: [TripStatus.ARRIVED],
    },
)


class Trip(TimeStampedModel):
    """A company's truck driving hub -> hub, selling its spare space by the cubic metre."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="trips")
    truck = models.ForeignKey(Truck, on_delete=models.PROTECT, related_name="trips")
    allocation = models.OneToOneField(
        TruckAllocation, on_delete=models.PROTECT, related_name="trip", null=True, blank=True
    )
    origin_hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="departures")
    destination_hub = models.ForeignKey(Hub, on_delete=models.PROTECT, related_name="arrivals")
    departs_at = models.DateTimeField()
    arrives_at = models.DateTimeField()
    # The origin hub's local date of departure: what route search filters on (`date`).
    departs_on_local = models.DateField(editable=False)
    capacity_m3 = models.DecimalField(max_digits=7, decimal_places=3)
    capacity_kg = models.DecimalField(max_digits=9, decimal_places=3)
    sold_m3 = models.DecimalField(max_digits=7, decimal_places=3, default=0)
    sold_kg = models.DecimalField(max_digits=9, decimal_places=3, default=0)
    price_per_m3 = models.DecimalField(max_digits=10, decimal_places=2)
    min_charge = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, validators=[currency_validator])
    status = models.CharField(
        max_length=16, choices=TripStatus.choices, default=TripStatus.SCHEDULED
    )
    departed_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["departs_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sold_m3__gte=0, sold_m3__lte=F("capacity_m3")),
                name="cargo_trip_sold_m3_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(sold_kg__gte=0, sold_kg__lte=F("capacity_kg")),
                name="cargo_trip_sold_kg_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(capacity_m3__gt=0, capacity_kg__gt=0),
                name="cargo_trip_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(price_per_m3__gte=0, min_charge__gte=0),
                name="cargo_trip_prices_not_negative",
            ),
            # 200 m3 x 100,000.00 on each of two legs fits a shipment's price (12 digits).
            models.CheckConstraint(
                condition=Q(price_per_m3__lte=100_000), name="cargo_trip_price_per_m3_capped"
            ),
            models.CheckConstraint(
                condition=Q(arrives_at__gt=F("departs_at")),
                name="cargo_trip_arrives_after_departure",
            ),
            models.CheckConstraint(
                condition=~Q(origin_hub=F("destination_hub")),
                name="cargo_trip_hubs_differ",
            ),
        ]
        indexes = [
            # Route search: trips leaving a hub on a local date, and connections from a hub.
            models.Index(fields=["origin_hub", "departs_on_local"], name="cargo_trip_origin_date"),
            models.Index(fields=["origin_hub", "departs_at"], name="cargo_trip_origin_departs"),
            models.Index(fields=["company", "departs_at"], name="cargo_trip_company_departs"),
        ]

    def __str__(self) -> str:
        return f"Trip {self.pk} {self.origin_hub_id}->{self.destination_hub_id} {self.departs_at}"


class ShipmentStatus(models.TextChoices):
    BOOKED = "BOOKED", "Booked"
    DEPARTED = "DEPARTED", "Departed"
    ARRIVED = "ARRIVED", "Arrived"
    DELIVERED = "DELIVERED", "Delivered"
    CANCELLED = "CANCELLED", "Cancelled"


# A two-leg shipment stays DEPARTED while it changes truck at the hub: the second leg's
# departure is not a transition (the service records it as an event only).
SHIPMENT_LIFECYCLE = StateMachine(
    name="shipment",
    transitions={
        ShipmentStatus.BOOKED: [ShipmentStatus.DEPARTED, ShipmentStatus.CANCELLED],
        ShipmentStatus.DEPARTED: [ShipmentStatus.ARRIVED],
        ShipmentStatus.ARRIVED: [ShipmentStatus.DELIVERED],
    },
)


class Shipment(TimeStampedModel):
    """A customer's goods booked on one trip, or on two with a change of truck at a hub."""

    reference = models.CharField(max_length=16, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shipments"
    )
    volume_m3 = models.DecimalField(max_digits=7, decimal_places=3)
    weight_kg = models.DecimalField(max_digits=9, decimal_places=3)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, validators=[currency_validator])
    status = models.CharField(
        max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.BOOKED
    )
    trips = models.ManyToManyField(Trip, through="ShipmentLeg", related_name="shipments")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(volume_m3__gt=0, weight_kg__gt=0, price__gte=0),
                name="cargo_shipment_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class ShipmentLeg(models.Model):
    """One trip of a shipment; `order` 1 is the first leg. `company` is the trip's (tenant key)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="legs")
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, related_name="legs")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["shipment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "order"], name="cargo_leg_order_unique"),
            models.UniqueConstraint(fields=["shipment", "trip"], name="cargo_leg_trip_unique"),
            models.CheckConstraint(condition=Q(order__gte=1), name="cargo_leg_order_from_one"),
        ]
        indexes = [models.Index(fields=["trip"]), models.Index(fields=["company"])]

    def __str__(self) -> str:
        return f"{self.shipment_id} leg {self.order}: trip {self.trip_id}"


class ShipmentEvent(models.Model):
    """The shipment's history: append-only (a trigger refuses UPDATE and DELETE)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(max_length=16, choices=ShipmentStatus.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hub = models.ForeignKey(Hub, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["shipment", "at"])]

    def __str__(self) -> str:
        return f"{self.shipment_id} {self.status} at {self.at}"
