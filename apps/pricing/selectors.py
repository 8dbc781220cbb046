"""Reads of pricing data: a company's rules versions, the catalogue, the demand context."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Protocol

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


class UtilisationOn(Protocol):
    def __call__(self, *, companies: Sequence[Company], day: date) -> dict[int, Decimal]: ...


# Supplied by apps.bookings (BookingsConfig.ready): pricing sits below bookings and must not
# import it, yet the demand rule needs what bookings know. The apps.accounts.memberships pattern.
_utilisation_provider: UtilisationOn | None = None


def utilisation_provider_register(provider: UtilisationOn) -> None:
    """Install the function that measures companies' utilisation on a day (once, at startup).

    It answers for many companies at once (instant quotes price one move for every company
    serving it): {company_id: share}, in a fixed number of queries."""
    global _utilisation_provider
    _utilisation_provider = provider


def company_utilisation_on(*, company: Company, day: date) -> Decimal:
    """The share (0..1) of the company's own truck capacity already booked on `day`.

    It feeds the rules' `demand` surcharge: booked truck-hours / available truck-hours that
    day, as the registered provider (apps.bookings) measures it; 0 without one (nothing can
    be booked without the bookings app).
    """
    return companies_utilisation_on(companies=[company], day=day)[company.pk]


def companies_utilisation_on(*, companies: Sequence[Company], day: date) -> dict[int, Decimal]:
    """{company_id: company_utilisation_on(company, day)} for many companies at once."""
    if _utilisation_provider is None or not companies:
        return {company.pk: Decimal(0) for company in companies}
    return _utilisation_provider(companies=companies, day=day)
