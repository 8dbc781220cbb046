"""Pricing operations: save a new rules version; price a described move for one company.

`pricing_config_save` is the only write; `quote_preview` prices an unsaved rules document
(the dashboard editor's live preview). `quote_estimate` stores nothing: it resolves the
company, its latest rules, the route distance, the catalogue and the demand context, and runs
the pure engine (apps.pricing.engine). `quote_estimate_many` prices one move for many companies
at once (bookings' instant quotes), with the same results as one `quote_estimate` per company.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import structlog
from django.conf import settings
from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.models import User
from apps.companies.locking import company_lock
from apps.companies.models import Company
from apps.core import limits
from apps.core.errors import ApplicationError, Invalid, PricingNotConfigured
from apps.pricing.engine import inventory_volume, quote_compute
from apps.pricing.engine.catalogue import CatalogueItem
from apps.pricing.engine.rules import PricingRules, rules_parse
from apps.pricing.engine.values import MoveSpec, QuoteContext, QuoteResult
from apps.pricing.errors import RulesInvalid, engine_errors_as_invalid
from apps.pricing.models import PricingConfig
from apps.pricing.routes import route_distance_km
from apps.pricing.selectors import (
    companies_utilisation_on,
    company_utilisation_on,
    inventory_catalogue,
    pricing_config_latest,
    pricing_configs_latest,
)

logger = structlog.get_logger(__name__)

_LITRE = Decimal("0.001")


@transaction.atomic
def pricing_config_save(*, company: Company, document: object, actor: User | None) -> PricingConfig:
    """Validate `document` and store it as the company's next rules version.

    A document that fails validation raises Invalid (400, details nested by field) and stores
    nothing.
    Its `currency` may be left out (the company's is used) and must otherwise be the company's.
    """
    if not isinstance(document, Mapping):
        raise Invalid(details={"non_field_errors": ["Expected a JSON object (the rules)."]})
    # Two owners saving at once would both read the same latest version and collide on
    # (company, version). Locking the company row serialises the savers of one company: the
    # second waits, then reads the first's version and takes the next number. (The currency
    # is read under the same lock, so a concurrent currency change cannot slip between.)
    company = company_lock(company_id=company.pk)
    rules = _document_checked(document=document, currency=company.currency)
    latest = PricingConfig.objects.filter(company=company).aggregate(latest=Max("version"))
    return PricingConfig.objects.create(
        company=company,
        version=(latest["latest"] or 0) + 1,
        rules=rules.model_dump(mode="json"),
        created_by=actor,
    )


def _document_checked(*, document: Mapping[str, Any], currency: str) -> PricingRules:
    """The validated rules of `document` for a company billing in `currency`, else Invalid."""
    with engine_errors_as_invalid():
        return rules_parse(document, currency=currency)


def quote_preview(
    *,
    company: Company,
    document: object,
    move: MoveSpec,
    distance_km: Decimal,
    now: datetime | None = None,
) -> Estimate:
    """Price `move` over `distance_km` with an UNSAVED rules `document`; store nothing.

    The pricing editor's live preview: the document is validated exactly as
    `pricing_config_save` would (Invalid with the same details), then priced exactly as
    `quote_estimate` prices a saved version (the company's utilisation that day included).
    The distance is given rather than routed, so a preview never waits on a route provider.
    The Estimate's config is an unsaved PricingConfig numbered as the next version.
    """
    if not isinstance(document, Mapping):
        raise Invalid(details={"non_field_errors": ["Expected a JSON object (the rules)."]})
    now = now or timezone.now()
    rules = _document_checked(document=document, currency=company.currency)
    move, today = _move_for_company(company=company, move=move, window_start=None, now=now)
    latest = PricingConfig.objects.filter(company=company).aggregate(latest=Max("version"))
    draft = PricingConfig(
        company=company,
        version=(latest["latest"] or 0) + 1,
        rules=rules.model_dump(mode="json"),
    )
    return _estimate_priced(
        company=company,
        config=draft,
        rules=rules,
        move=move,
        today=today,
        utilisation=company_utilisation_on(company=company, day=move.move_date),
        distance_km=distance_km,
        catalogue=inventory_catalogue(),
        expires_at=now + timedelta(minutes=settings.PRICING_QUOTE_TTL_MINUTES),
    )


@dataclass(frozen=True, slots=True)
class Estimate:
    """A priced move: the engine's quote plus what it was computed from."""

    company: Company
    config: PricingConfig
    result: QuoteResult
    distance_km: Decimal
    expires_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """The API quote shape (docs/pricing.md) plus distance_km, volume_m3, pricing_version."""
        quote = self.result.to_dict()
        return {
            "company": self.company.id,
            **quote,
            "distance_km": f"{self.distance_km:f}",
            "pricing_version": self.config.version,
            "expires_at": self.expires_at,
        }


def quote_estimate(
    *,
    company: Company,
    origin: Point,
    destination: Point,
    move: MoveSpec,
    window_start: datetime | None = None,
    now: datetime | None = None,
) -> Estimate:
    """Price `move` from origin to destination with the company's latest rules; store nothing.

    `company` is one the caller may quote with (selectors.company_get_for_quote). The arrival
    window's start, read in the company's time zone, is the move's start time (after-hours
    rules). Invalid (400): a move date before today in the company's time zone, or a move the
    engine refuses (e.g. an unknown item without its volume, reported at
    {"inventory": [.., {"item": [..]}]}). PricingNotConfigured (409): no
    rules saved, rules in another currency than the company's current one, or stored rules
    that no longer pass validation (should validation ever get stricter).

    The company's service areas are not checked: this is one company's price for a described
    move; move requests pick the companies that serve both ends (`quote_estimate_many`).
    """
    now = now or timezone.now()
    move, today = _move_for_company(company=company, move=move, window_start=window_start, now=now)
    config = pricing_config_latest(company=company)
    rules = _usable_rules(company=company, config=config)
    assert config is not None  # _usable_rules refused a missing config
    catalogue = inventory_catalogue()
    move_volume_checked(move=move, catalogue=catalogue)
    with engine_errors_as_invalid():
        distance_km = route_distance_km(origin=origin, destination=destination)
    return _estimate_priced(
        company=company,
        config=config,
        rules=rules,
        move=move,
        today=today,
        utilisation=company_utilisation_on(company=company, day=move.move_date),
        distance_km=distance_km,
        catalogue=catalogue,
        expires_at=now + timedelta(minutes=settings.PRICING_QUOTE_TTL_MINUTES),
    )


def _estimate_priced(
    *,
    company: Company,
    config: PricingConfig,
    rules: PricingRules,
    move: MoveSpec,
    today: date,
    utilisation: Decimal,
    distance_km: Decimal,
    catalogue: Mapping[str, CatalogueItem],
    expires_at: datetime,
) -> Estimate:
    """The engine's quote for `move` under `rules` (its refusals as Invalid), as an Estimate."""
    with engine_errors_as_invalid():
        result = quote_compute(
            rules=rules,
            move=move,
            distance_km=distance_km,
            context=QuoteContext(booked_on=today, utilisation=utilisation),
            catalogue=catalogue,
        )
    return Estimate(
        company=company,
        config=config,
        result=result,
        distance_km=distance_km,
        expires_at=expires_at,
    )


def move_volume_checked(*, move: MoveSpec, catalogue: Mapping[str, CatalogueItem]) -> Decimal:
    """The move's volume (the engine's `inventory_volume`), or Invalid (400) for the customer's
    input: an unknown item without its volume, or an inventory adding up to more than a move
    holds (limits.MAX_VOLUME_M3, the bound of a volume_m3 given outright). The engine itself
    prices any volume; the bound keeps a quote within what the API promises and stores."""
    with engine_errors_as_invalid():
        volume = inventory_volume(move=move, catalogue=catalogue)
    if volume > limits.MAX_VOLUME_M3:
        message = (
            f"The inventory adds up to {volume.quantize(_LITRE)} m³; a move holds at most "
            f"{limits.MAX_VOLUME_M3} m³ (give fewer items, or your own volume_m3)."
        )
        raise Invalid(details={"inventory": {"non_field_errors": [message]}})
    return volume


def _move_for_company(
    *, company: Company, move: MoveSpec, window_start: datetime | None, now: datetime
) -> tuple[MoveSpec, date]:
    """The move with its start time in the company's zone, and today there; Invalid when the
    move date is already past there."""
    zone = zoneinfo.ZoneInfo(company.timezone)
    today = now.astimezone(zone).date()
    if window_start is not None:
        with engine_errors_as_invalid():
            move = dataclasses.replace(move, start_time=window_start.astimezone(zone).time())
    if move.move_date < today:
        raise Invalid(
            details={"move_date": [f"Must not be in the past (today is {today} for this company)."]}
        )
    return move, today


def _usable_rules(*, company: Company, config: PricingConfig | None) -> PricingRules:
    """The compiled rules of `config`, or PricingNotConfigured when the company cannot quote."""
    if config is None:
        raise PricingNotConfigured()
    if config.currency != company.currency:
        raise PricingNotConfigured(
            f"This company's pricing is in {config.currency} but it now bills in "
            f"{company.currency}; it must save its pricing again."
        )
    try:
        # Stored versions were validated when saved; parsing again (~0.1 ms) compiles them.
        return rules_parse(config.rules)
    except RulesInvalid as exc:  # only if validation got stricter since: not the customer's fault
        logger.error("pricing_config_unparsable", config_id=config.id, details=exc.details)
        raise PricingNotConfigured(
            "This company's saved pricing no longer passes validation; it must save it again."
        ) from exc


@dataclass(frozen=True, slots=True)
class EstimateRefused:
    """A company that could not price the move, and why (its PricingNotConfigured or Invalid)."""

    company: Company
    error: ApplicationError


def quote_estimate_many(
    *,
    companies: Sequence[Company],
    origin: Point,
    destination: Point,
    move: MoveSpec,
    window_start: datetime | None = None,
    now: datetime | None = None,
    ttl: timedelta | None = None,
) -> tuple[list[Estimate], list[EstimateRefused]]:
    """Price one move for many companies: what `quote_estimate` gives each, in a few queries.

    The work `quote_estimate` repeats per call is done once here: the route distance, the
    catalogue, the latest rules version of every company (one query), the utilisation of every
    company that day (`companies_utilisation_on`). Each company's answer is its Estimate, or an
    EstimateRefused carrying the error `quote_estimate` would raise for it (no usable pricing,
    or a move date already past in its time zone). A move the engine refuses whatever the
    company (an unknown item without its volume) raises Invalid for all: the customer's input.
    `ttl` is how long the prices hold (default PRICING_QUOTE_TTL_MINUTES).
    """
    now = now or timezone.now()
    ttl = ttl if ttl is not None else timedelta(minutes=settings.PRICING_QUOTE_TTL_MINUTES)
    if not companies:
        return [], []
    catalogue = inventory_catalogue()
    move_volume_checked(move=move, catalogue=catalogue)  # the customer's input, for everyone
    with engine_errors_as_invalid():
        distance_km = route_distance_km(origin=origin, destination=destination)
    configs = pricing_configs_latest(company_ids=[company.pk for company in companies])
    utilisation = companies_utilisation_on(companies=companies, day=move.move_date)
    estimates: list[Estimate] = []
    refused: list[EstimateRefused] = []
    for company in companies:
        config = configs.get(company.pk)
        try:
            company_move, today = _move_for_company(
                company=company, move=move, window_start=window_start, now=now
            )
            rules = _usable_rules(company=company, config=config)
            assert config is not None  # _usable_rules refused a missing config
            estimate = _estimate_priced(
                company=company,
                config=config,
                rules=rules,
                move=company_move,
                today=today,
                utilisation=utilisation[company.pk],
                distance_km=distance_km,
                catalogue=catalogue,
                expires_at=now + ttl,
            )
        except (Invalid, PricingNotConfigured) as exc:
            refused.append(EstimateRefused(company=company, error=exc))
            continue
        estimates.append(estimate)
    return estimates, refused
