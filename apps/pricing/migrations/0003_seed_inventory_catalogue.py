"""Seed the InventoryItem catalogue from apps/pricing/engine/catalogue.py (reversible data migration).

Forward creates the items whose code does not exist yet (rows an admin already made are kept);
backward deletes the seeded codes. It reads catalogue.py when it runs, so a fresh database gets
the catalogue as it is then; databases that already ran it are changed in the admin (or by a
new data migration), never by editing catalogue.py.
"""

from django.db import migrations


def seed(apps, schema_editor):
    from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE

    InventoryItem = apps.get_model("pricing", "InventoryItem")
    existing = set(InventoryItem.objects.values_list("code", flat=True))
    InventoryItem.objects.bulk_create(
        InventoryItem(code=code, label=item.label, volume_m3=item.volume_m3, is_active=True)
        for code, item in DEFAULT_CATALOGUE.items()
        if code not in existing
    )


def unseed(apps, schema_editor):
    from apps.pricing.engine.catalogue import DEFAULT_CATALOGUE

    InventoryItem = apps.get_model("pricing", "InventoryItem")
    InventoryItem.objects.filter(code__in=list(DEFAULT_CATALOGUE)).delete()


class Migration(migrations.Migration):
    dependencies = [("pricing", "0002_pricing_config_immutable_trigger")]

    operations = [migrations.RunPython(seed, unseed)]
