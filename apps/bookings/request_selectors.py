"""Reads of move requests and quotes: who may quote a move, whose quote a customer may accept."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.geos import Point
from django.db.models import Exists, OuterRef, QuerySet

from apps.accounts.models import User
from apps.bookings.models import MoveRequest, Quote
from apps.companies.models import Company, ServiceArea
from apps.core.errors import NotFound


def companies_serving_all(*, points: Sequence[Point]) -> QuerySet[Company]:
    """Verified companies with, for each point, a service area that covers it, by id.

    One EXISTS (ST_Covers on geography, the GiST index on servicearea.area) per point, as the
    company search does for `serves`: the areas covering each end may be different ones.
    """
    companies = Company.objects.filter(verification_status=Company.VerificationStatus.VERIFIED)
    for point in points:
        covering = ServiceArea.objects.filter(company_id=OuterRef("pk"), area__covers=point)
        companies = companies.filter(Exists(covering))
    return companies.order_by("id")


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
