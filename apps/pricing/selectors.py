"""Reads of pricing data: a company's rules versions, the catalogue, the demand context."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from apps.accounts.models import User
from apps.companies.models import Company
from apps.companies.selectors import company_get_visible
from apps.core.errors import NotFound
from apps.pricing.engine.catalogue import CatalogueItem
from apps.pricing.models import InventoryItem, PricingConfig

_CENT = Decimal("0.01")


def pricing_config_latest(*, company: Company) -> PricingConfig | None:
    """The company's newest rules version, or None when it has never saved any."""
    return (
        PricingConfig.objects.select_related("created_by")
        .filter(company=company)
        .order_by("-version")
        .first()
    )


def pricing_configs_latest(*, company_ids: Iterable[int]) -> dict[int, PricingConfig]:
    """{company_id: newest rules version} of those companies that have one, in one query
    (DISTINCT ON, answered by the (company, version) unique index)."""
    configs = (
        PricingConfig.objects.filter(company_id__in=list(company_ids))
        .order_by("company_id", "-version")
        .distinct("company_id")
    )
    return {config.company_id: config for config in configs}


def pricing_config_get_latest(*, company: Company) -> PricingConfig:
    """The company's newest rules version; NotFound (404) when it has none yet."""
    config = pricing_config_latest(company=company)
    if config is None:
        raise NotFound("This company has no pricing rules yet.")
    return config


def pricing_config_list(*, company: Company) -> QuerySet[PricingConfig]:
    """Every rules version of the company, newest first."""
    return (
        PricingConfig.objects.select_related("created_by")
        .filter(company=company)
        .order_by("-version")
    )


def pricing_config_get_version(*, company: Company, version: int) -> PricingConfig:
    """One rules version of the company; NotFound for a version it does not have."""
    config = pricing_config_list(company=company).filter(version=version).first()
    if config is None:
        raise NotFound(f"Pricing version {version} not found.")
    return config


def company_get_for_quote(*, user: User | AnonymousUser, company_id: int) -> Company:
    """The company whose price `user` may ask for: a verified one for anyone; a pending or
    suspended one only for its own active staff (to try their pricing before they sell).

    To everyone else an unverified company does not exist: NotFound (404), the same answer as
    for an id that was never used, so a stranger cannot tell that it exists.
    """
    return company_get_visible(user=user, company_id=company_id)


def inventory_catalogue() -> dict[str, CatalogueItem]:
    """The active InventoryItem rows as the engine's catalogue mapping: code -> (label, m3).

    Read on every call (one indexed query of ~50 rows, well under a millisecond): an admin's
    edit is used by the next quote in every process, with no cache to invalidate. Volumes keep
    two decimals unless the row needs three ("1.80", not the column's "1.800"), so quotes read
    the same as the engine's DEFAULT_CATALOGUE they were seeded from.
    """
    catalogue = {}
    for code, label, volume in InventoryItem.objects.filter(is_active=True).values_list(
        "code", "label", "volume_m3"
    ):
        rounded = volume.quantize(_CENT)
        catalogue[code] = CatalogueItem(label, rounded if rounded == volume else volume)
    return catalogue


def company_utilisation_on(*, company: Company, day: date) -> Decimal:
    """The share (0..1) of the company's own truck capacity already booked on `day`.

    It feeds the rules' `demand` surcharge. Bookings do not exist yet (a later issue), so
    nothing is ever booked and this honestly returns 0: until bookings land the demand rule
    has no effect. The estimate already passes this value to the engine, so only this
    function changes when they do (booked truck-hours / available truck-hours that day).
    """
    return Decimal(0)


def companies_utilisation_on(*, companies: Sequence[Company], day: date) -> dict[int, Decimal]:
    """{company_id: company_utilisation_on(company, day)} for many companies at once.

    The batch entry point of instant quotes (one move priced for every company serving it):
    when utilisation comes from stored bookings, answer it here in one query, not one per company.
    """
    return {company.pk: company_utilisation_on(company=company, day=day) for company in companies}
