"""Permission-scoped reads of bookings: who may see a booking, and as what.

A booking is visible to its customer and to the active staff of its company; to anyone else it
does not exist (404, never 403). `BookingAccess` says in which capacity the caller sees it, so
services can check roles (owner/dispatcher manage, the assigned driver starts and completes,
the customer may cancel) without a second lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from apps.accounts.models import User
from apps.bookings.models import Booking, DriverAllocation, MoveRequest, Quote
from apps.companies.models import Membership
from apps.companies.selectors import MANAGER_ROLES
from apps.core.errors import NotFound, PermissionDenied

Role = Membership.Role


@dataclass(frozen=True, slots=True)
class BookingAccess:
    """The booking and the caller's capacity: `role` is "customer" or the staff role."""

    booking: Booking
    user: User
    role: str

    @property
    def is_customer(self) -> bool:
        return self.role == "customer"

    @property
    def is_manager(self) -> bool:
        return self.role in MANAGER_ROLES

    @property
    def is_assigned_driver(self) -> bool:
        if self.role != Role.DRIVER:
            return False
        return self.user.pk in booking_driver_user_ids(booking=self.booking)


def booking_driver_user_ids(*, booking: Booking) -> set[int]:
    """Users of the drivers on the booking's live allocations."""
    return set(
        DriverAllocation.objects.filter(booking=booking, released_at__isnull=True).values_list(
            "driver__membership__user_id", flat=True
        )
    )


def booking_expected_start(*, booking: Booking) -> datetime:
    """When the job is expected to start: the one answer reminders, suggestions and the
    cancellation notice all count from.

    The scheduled start once scheduled; before that the start of the customer's arrival window;
    without a window, BOOKING_WORKDAY_START_HOUR (default 08:00) on the move date in the
    company's time zone (the start of a working day, when crews usually arrive).
    """
    if booking.scheduled_start is not None:
        return booking.scheduled_start
    move_request = booking.move_request
    if move_request.window_start is not None:
        return move_request.window_start
    zone = ZoneInfo(booking.company.timezone)
    return datetime.combine(
        move_request.move_date, time(settings.BOOKING_WORKDAY_START_HOUR), tzinfo=zone
    )


def booking_get_for_user(
    *, user: User | AnonymousUser, booking_id: int, for_update: bool = False
) -> BookingAccess:
    """The booking as its customer or its company's active staff see it; NotFound otherwise.

    With `for_update`, the booking row is locked (the caller is inside a transaction).
    """
    if not user.is_authenticated:
        raise NotFound("Booking not found.")
    queryset = Booking.objects.select_related("company", "customer", "quote", "move_request")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    booking = queryset.filter(pk=booking_id).first()
    if booking is None:
        raise NotFound("Booking not found.")
    if booking.customer_id == user.pk:
        return BookingAccess(booking=booking, user=user, role="customer")
    membership = (
        Membership.objects.filter(user=user, company_id=booking.company_id, is_active=True)
        .only("role")
        .first()
    )
    if membership is None:
        raise NotFound("Booking not found.")
    return BookingAccess(booking=booking, user=user, role=membership.role)


def booking_get_for_manager(
    *, user: User | AnonymousUser, booking_id: int, for_update: bool = False
) -> BookingAccess:
    """The booking for its company's owner or dispatcher: PermissionDenied (403) for its
    customer and the company's other staff, NotFound (404) for everyone else.

    With `for_update`, the booking row is locked (the caller is inside a transaction).
    """
    access = booking_get_for_user(user=user, booking_id=booking_id, for_update=for_update)
    if not access.is_manager:
        raise PermissionDenied("Only the company's owner or dispatcher may schedule bookings.")
    return access


def booking_list_for_user(*, user: User) -> QuerySet[Booking]:
    """The caller's bookings as a customer plus their companies' bookings as staff."""
    company_ids = Membership.objects.filter(user=user, is_active=True).values("company_id")
    return (
        Booking.objects.filter(Q(customer=user) | Q(company_id__in=company_ids))
        .select_related("company", "quote", "move_request")
        .order_by("-created_at", "-id")
    )


def move_request_get_for_customer(
    *, user: User | AnonymousUser, move_request_id: int
) -> MoveRequest:
    """The customer's own move request; NotFound for anyone else."""
    if not user.is_authenticated:
        raise NotFound("Move request not found.")
    move_request = MoveRequest.objects.filter(pk=move_request_id, customer_id=user.pk).first()
    if move_request is None:
        raise NotFound("Move request not found.")
    return move_request


def quote_list_for_request(*, move_request: MoveRequest) -> QuerySet[Quote]:
    """A request's quotes, cheapest first."""
    return move_request.quotes.select_related("company").order_by("total", "id")
