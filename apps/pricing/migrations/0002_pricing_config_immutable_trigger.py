"""Pricing config versions are immutable: a trigger refuses UPDATE and DELETE of their rows.

A quote names the version it used, so that version must never change or vanish. The company and
user foreign keys are PROTECT, so no cascade ever needs to delete a version (companies are
suspended, not deleted). The shared trigger function lives in apps.core.db.
"""

from django.db import migrations

from apps.core.db import refuse_row_changes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_refuse_row_change_function"),
        ("pricing", "0001_pricing_config_and_inventory_item"),
    ]

    operations = [
        refuse_row_changes(
            table="pricing_pricingconfig",
            reason="pricing config versions are immutable; save a new version",
        )
    ]
