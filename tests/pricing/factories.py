"""factory_boy factories for pricing: PricingConfig versions and InventoryItem catalogue rows."""

from __future__ import annotations

from decimal import Decimal

import factory

from apps.pricing.engine.rules import rules_parse
from apps.pricing.examples import SMALL_LOCAL_MOVER
from apps.pricing.models import InventoryItem, PricingConfig
from tests.companies.factories import CompanyFactory


def stored_rules(document: dict = SMALL_LOCAL_MOVER) -> dict:
    """A rules document as the service stores it: validated, then model_dump(mode="json")."""
    return rules_parse(document).model_dump(mode="json")


class PricingConfigFactory(factory.django.DjangoModelFactory):
    """A stored version. Give `version` explicitly when a company gets several."""

    class Meta:
        model = PricingConfig

    company = factory.SubFactory(CompanyFactory)
    version = 1
    rules = factory.LazyFunction(stored_rules)
    created_by = None


class InventoryItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InventoryItem

    code = factory.Sequence(lambda n: f"test_item_{n}")
    label = factory.LazyAttribute(lambda o: o.code.replace("_", " ").capitalize())
    volume_m3 = Decimal("0.500")
    is_active = True
