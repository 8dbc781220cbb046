"""Booking events are append-only; issued invoices and their lines are immutable (triggers).

Invariant 3 of docs/architecture.md (the shared trigger function lives in apps.core.db).
"""

from django.db import migrations

from apps.core.db import refuse_row_changes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_refuse_row_change_function"),
        ("bookings", "0001_requests_quotes_bookings_allocations"),
    ]

    operations = [
        refuse_row_changes(table="bookings_bookingevent", reason="booking history is append-only"),
        refuse_row_changes(table="bookings_invoice", reason="issued invoices are immutable"),
        refuse_row_changes(table="bookings_invoiceline", reason="issued invoices are immutable"),
    ]
