"""Move requests: store the customer's request and, in the same transaction, its instant quotes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.models import MoveRequest, Quote
from apps.bookings.request_selectors import companies_serving_all
from apps.pricing.api.serializers import move_spec_from
from apps.pricing.services import Estimate, quote_estimate_many

logger = structlog.get_logger(__name__)

_REQUEST_FIELDS = (
    "origin",
    "destination",
    "origin_address",
    "destination_address",
    "move_date",
    "window_start",
    "window_end",
    "volume_m3",
    "stairs_origin",
    "stairs_destination",
    "lift_origin",
    "lift_destination",
    "carry_origin_m",
    "carry_destination_m",
    "packing",
    "notes",
)


def quote_ttl() -> timedelta:
    """How long an instant quote holds (BOOKINGS_QUOTE_TTL_HOURS)."""
    return timedelta(hours=settings.BOOKINGS_QUOTE_TTL_HOURS)


def _inventory_json(lines: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The inventory as given, JSON-ready: volumes as decimal strings, absent ones left out."""
    stored = []
    for line in lines:
        item: dict[str, Any] = {"item": line["item"], "quantity": line["quantity"]}
        if line.get("volume_m3") is not None:
            item["volume_m3"] = f"{line['volume_m3']:f}"
        stored.append(item)
    return stored


def _quote_from(estimate: Estimate, *, move_request: MoveRequest) -> Quote:
    result = estimate.result
    return Quote(
        move_request=move_request,
        company=estimate.company,
        pricing_config=estimate.config,
        status=Quote.Status.OPEN,
        lines=[line.to_dict() for line in result.lines],
        subtotal=result.subtotal,
        tax=result.tax,
        total=result.total,
        tax_rate_percent=estimate.config.rules["tax_rate_percent"],
        currency=result.currency,
        estimated_hours=result.estimated_hours,
        crew_size=result.crew_size,
        volume_m3=result.volume_m3,
        distance_km=estimate.distance_km,
        expires_at=estimate.expires_at,
    )


@transaction.atomic
def move_request_create(
    *, customer: User, data: Mapping[str, Any], now: datetime | None = None
) -> tuple[MoveRequest, list[Quote]]:
    """Store a move request (`data`: validated MoveRequestInput) and its instant quotes.

    Every verified company whose service areas cover both ends quotes it with its current
    pricing version (apps.pricing's engine, the version and lines stored with the quote so it
    never changes), each quote open until now + BOOKINGS_QUOTE_TTL_HOURS. A company that cannot
    price it (no usable pricing, or the move date already past in its time zone) is skipped
    and logged. A move the engine refuses for everyone (an unknown item without its volume)
    raises Invalid and stores nothing. Returns the request and its quotes, cheapest first.
    """
    now = now or timezone.now()
    move = move_spec_from(dict(data))
    move_request = MoveRequest.objects.create(
        customer=customer,
        inventory=_inventory_json(data["inventory"]),
        **{name: data[name] for name in _REQUEST_FIELDS if name in data},
    )
    companies = list(companies_serving_all(points=[move_request.origin, move_request.destination]))
    estimates, refused = quote_estimate_many(
        companies=companies,
        origin=move_request.origin,
        destination=move_request.destination,
        move=move,
        window_start=move_request.window_start,
        now=now,
        ttl=quote_ttl(),
    )
    for refusal in refused:
        logger.info(
            "move_request_company_skipped",
            move_request_id=move_request.pk,
            company_id=refusal.company.pk,
            code=refusal.error.code,
            reason=refusal.error.message,
        )
    quotes = Quote.objects.bulk_create(
        [_quote_from(estimate, move_request=move_request) for estimate in estimates]
    )
    quotes.sort(key=lambda quote: (quote.total, quote.pk))
    return move_request, quotes
