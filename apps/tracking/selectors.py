"""Permission-scoped reads of tracking: a booking's track and a company's fleet positions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from apps.accounts.models import User
from apps.bookings.selectors import booking_get_for_user
from apps.companies.selectors import membership_require_role
from apps.tracking.models import Position, TruckLastPosition


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """One point of a booking's track."""

    lng: float
    lat: float
    recorded_at: datetime


def booking_track(*, user: User | AnonymousUser, booking_id: int) -> tuple[int, list[TrackPoint]]:
    """The booking's id and its job track in time order (NotFound for anyone but its customer and
    its company's staff).

    Customer and staff see the same part: positions tied to this booking and recorded between
    `started_at` and `completed_at` (still open while in progress). The truck's approach before
    the job, and anything after it, is never part of a booking's track; staff follow it on the
    fleet view. At most TRACKING_TRACK_MAX_POINTS points, the newest kept.
    """
    booking = booking_get_for_user(user=user, booking_id=booking_id).booking
    if booking.started_at is None:
        return booking.pk, []
    positions = Position.objects.filter(booking=booking, recorded_at__gte=booking.started_at)
    if booking.completed_at is not None:
        positions = positions.filter(recorded_at__lte=booking.completed_at)
    newest_first = positions.order_by("-recorded_at", "-id").values_list("point", "recorded_at")[
        : settings.TRACKING_TRACK_MAX_POINTS
    ]
    points = [TrackPoint(lng=p.x, lat=p.y, recorded_at=at) for p, at in newest_first]
    points.reverse()
    return booking.pk, points


def fleet_last_positions(
    *, user: User | AnonymousUser, company_id: int
) -> QuerySet[TruckLastPosition]:
    """Each of the company's trucks' latest position, by plate (that company's staff only)."""
    membership_require_role(user=user, company_id=company_id)
    return (
        TruckLastPosition.objects.filter(company_id=company_id)
        .select_related("truck")
        .order_by("truck__plate", "truck_id")
    )
