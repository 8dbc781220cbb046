"""Demo pricing for seed_demo: each demo company gets one of the example rules documents."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import User
from apps.companies.models import Company
from apps.pricing import examples
from apps.pricing.models import PricingConfig
from apps.pricing.services import pricing_config_save

RULES_BY_COMPANY_SLUG: dict[str, dict[str, Any]] = {
    "rhone-removals": examples.SMALL_LOCAL_MOVER,
    "presquile-movers": examples.CITY_PREMIUM_MOVER,
    "saone-transport": examples.LONG_DISTANCE_SPECIALIST,
    "gerland-logistics": examples.SMALL_LOCAL_MOVER,
}


def demo_pricing_ensure(*, company: Company, actor: User) -> None:
    """Version 1 of the company's example rules, never re-saved (a second run would otherwise
    add a version every time). The company's own currency is used."""
    example = RULES_BY_COMPANY_SLUG.get(company.slug)
    if example is None or PricingConfig.objects.filter(company=company).exists():
        return
    rules = {key: value for key, value in example.items() if key != "currency"}
    pricing_config_save(company=company, document=rules, actor=actor)
