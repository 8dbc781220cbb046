"""Pricing config versions are immutable: a trigger refuses UPDATE and DELETE of their rows.

A quote names the version it used, so that version must never change or vanish. TRUNCATE
(test database flushes) is not a row operation and still works. The company and user foreign
keys are PROTECT, so no cascade ever needs to delete a version (companies are suspended, not
deleted).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION pricing_refuse_config_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on %: pricing config versions are immutable; save a new version',
        TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER = """
CREATE TRIGGER pricing_pricingconfig_immutable BEFORE UPDATE OR DELETE ON pricing_pricingconfig
FOR EACH ROW EXECUTE FUNCTION pricing_refuse_config_change();
"""


class Migration(migrations.Migration):
    dependencies = [("pricing", "0001_pricing_config_and_inventory_item")]

    operations = [
        migrations.RunSQL(
            FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS pricing_refuse_config_change();"
        ),
        migrations.RunSQL(
            TRIGGER,
            reverse_sql=(
                "DROP TRIGGER IF EXISTS pricing_pricingconfig_immutable ON pricing_pricingconfig;"
            ),
        ),
    ]
