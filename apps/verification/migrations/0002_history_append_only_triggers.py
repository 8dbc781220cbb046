"""Review history and company status changes are append-only: triggers refuse UPDATE and DELETE.

DESIGN.md invariant 3. TRUNCATE (test database flushes) is not a row operation and still works.
"""

from django.db import migrations

TABLES = ["verification_documentreview", "verification_companystatuschange"]

FUNCTION = """
CREATE OR REPLACE FUNCTION verification_refuse_history_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% on %: history rows are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION verification_refuse_history_change();"
    )


class Migration(migrations.Migration):
    dependencies = [("verification", "0001_documents_reviews_reminders")]

    operations = [
        migrations.RunSQL(
            FUNCTION, reverse_sql="DROP FUNCTION IF EXISTS verification_refuse_history_change();"
        ),
        *[
            migrations.RunSQL(
                trigger_sql(table),
                reverse_sql=f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            )
            for table in TABLES
        ],
    ]
