"""Review history and company status changes are append-only: triggers refuse UPDATE and DELETE.

Invariant 3 of docs/architecture.md (the shared trigger function lives in apps.core.db).
"""

from django.db import migrations

from apps.core.db import refuse_row_changes

TABLES = ["verification_documentreview", "verification_companystatuschange"]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_refuse_row_change_function"),
        ("verification", "0001_documents_reviews_reminders"),
    ]

    operations = [
        refuse_row_changes(table=table, reason="history rows are append-only") for table in TABLES
    ]
