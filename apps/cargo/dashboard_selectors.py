"""Reads of the staff Shared loads pages: a company's trips with their use, a trip's shipments."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from apps.cargo.models import ShipmentLeg, Trip
from apps.companies.models import Company

_PERCENT = DecimalField(max_digits=7, decimal_places=1)


def _with_use(trips: QuerySet[Trip]) -> QuerySet[Trip]:
    """Remaining m3/kg and the sold share of each (in %), computed by the database."""
    return trips.annotate(
        remaining_m3=F("capacity_m3") - F("sold_m3"),
        remaining_kg=F("capacity_kg") - F("sold_kg"),
        used_m3_percent=ExpressionWrapper(
            F("sold_m3") * Value(100) / F("capacity_m3"), output_field=_PERCENT
        ),
        used_kg_percent=ExpressionWrapper(
            F("sold_kg") * Value(100) / F("capacity_kg"), output_field=_PERCENT
        ),
    )


def trips_for_company(*, company: Company, status: str = "") -> QuerySet[Trip]:
    """The company's trips: those not yet arrived by their planned arrival (upcoming or on the
    road) first, soonest departure first; then the past ones, latest departure first.
    `status` narrows to one trip status."""
    now = timezone.now()
    trips = Trip.objects.filter(company=company).select_related(
        "origin_hub", "destination_hub", "truck"
    )
    if status:
        trips = trips.filter(status=status)
    return (
        _with_use(trips)
        .annotate(
            is_past=Case(
                When(arrives_at__lte=now, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            upcoming_at=Case(When(arrives_at__gt=now, then=F("departs_at")), default=None),
        )
        .order_by("is_past", F("upcoming_at").asc(nulls_last=True), "-departs_at", "-id")
    )


def trip_for_page(*, company: Company, trip_id: int) -> Trip | None:
    """The company's trip with its use, or None (another company's trip is not found)."""
    trips = Trip.objects.filter(company=company, pk=trip_id).select_related(
        "origin_hub", "destination_hub", "truck"
    )
    return _with_use(trips).first()


def trip_shipments(*, trip: Trip) -> list[ShipmentLeg]:
    """The trip's legs with their shipment and how many legs the shipment has (leg n of m),
    oldest booking first; cancelled shipments too (their status says so)."""
    return list(
        ShipmentLeg.objects.filter(trip=trip)
        .select_related("shipment")
        .annotate(legs_total=Count("shipment__legs"))
        .order_by("shipment__created_at", "shipment_id")
    )
