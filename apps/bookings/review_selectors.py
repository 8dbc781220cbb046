"""Reads of reviews: a booking's review for its participants, a company's public review list."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from apps.accounts.models import User
from apps.bookings.models import Review
from apps.bookings.selectors import BookingAccess
from apps.companies.selectors import company_get_visible
from apps.core.errors import NotFound


def review_get_for_booking(*, access: BookingAccess) -> Review:
    """The review of a booking the caller may see (booking_get_for_user); NotFound without one."""
    review = Review.objects.select_related("customer").filter(booking_id=access.booking.pk).first()
    if review is None:
        raise NotFound("This booking has no review yet.")
    return review


def review_list_for_company(*, user: User | AnonymousUser, company_id: int) -> QuerySet[Review]:
    """A company's reviews, newest first; the company must be visible to the caller (an
    unverified or suspended company is NotFound to all but its staff, as everywhere)."""
    company = company_get_visible(user=user, company_id=company_id)
    return (
        Review.objects.filter(company=company)
        .select_related("customer")
        .order_by("-created_at", "-id")
    )
