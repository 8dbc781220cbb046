"""The trigger function that append-only and immutable tables share (apps.core.db)."""

from django.db import migrations

from apps.core.db import DROP_REFUSE_FUNCTION_SQL, REFUSE_FUNCTION_SQL


class Migration(migrations.Migration):
    dependencies = [("core", "0001_btree_gist_and_outbox")]

    operations = [migrations.RunSQL(REFUSE_FUNCTION_SQL, reverse_sql=DROP_REFUSE_FUNCTION_SQL)]
