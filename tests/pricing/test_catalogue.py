"""The InventoryItem catalogue: seeded from catalogue.py, constrained, read by the engine."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps as global_apps
from django.db import IntegrityError, transaction

from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE, CatalogueItem
from apps.pricing.models import InventoryItem
from apps.pricing.selectors import inventory_catalogue
from tests.pricing.factories import InventoryItemFactory

pytestmark = pytest.mark.django_db

seed_migration = importlib.import_module("apps.pricing.migrations.0003_seed_inventory_catalogue")


def test_the_data_migration_seeds_catalogue_py_and_reverses(db):
    InventoryItem.objects.all().delete()

    seed_migration.seed(global_apps, None)

    assert {
        item.code: CatalogueItem(item.label, item.volume_m3) for item in InventoryItem.objects.all()
    } == DEFAULT_CATALOGUE
    assert InventoryItem.objects.filter(is_active=True).count() == len(DEFAULT_CATALOGUE) == 48

    seed_migration.unseed(global_apps, None)

    assert not InventoryItem.objects.exists()


def test_seeding_again_keeps_an_admins_edits(db):
    InventoryItem.objects.all().delete()
    InventoryItemFactory(code="sofa_2seat", label="Loveseat", volume_m3=Decimal("1.400"))

    seed_migration.seed(global_apps, None)

    sofa = InventoryItem.objects.get(code="sofa_2seat")
    assert (sofa.label, sofa.volume_m3) == ("Loveseat", Decimal("1.400"))
    assert InventoryItem.objects.count() == len(DEFAULT_CATALOGUE)


def test_the_engine_reads_the_active_items_with_their_seeded_volumes(catalogue):
    InventoryItem.objects.filter(code="safe").update(is_active=False)
    InventoryItemFactory(code="aquarium", label="Aquarium", volume_m3=Decimal("0.375"))

    read = inventory_catalogue()

    assert "safe" not in read
    assert read["aquarium"] == CatalogueItem("Aquarium", Decimal("0.375"))
    assert read["bed_double"] == CatalogueItem("Double bed", Decimal("1.80"))
    assert str(read["bed_double"].volume_m3) == "1.80"  # as in catalogue.py, not "1.800"
    assert len(read) == len(DEFAULT_CATALOGUE)


@pytest.mark.parametrize("volume", ["0", "-1", "200.001"])
def test_the_database_refuses_a_volume_outside_0_to_200(volume):
    with (
        pytest.raises(IntegrityError, match="pricing_inventoryitem_volume_range"),
        transaction.atomic(),
    ):
        InventoryItemFactory(volume_m3=Decimal(volume))


@pytest.mark.parametrize("code", ["Sofa", "sofa-2", "sofa 2", ""])
def test_the_database_refuses_a_code_that_rules_could_not_name(code):
    with (
        pytest.raises(IntegrityError, match="pricing_inventoryitem_code_format"),
        transaction.atomic(),
    ):
        InventoryItemFactory(code=code)
