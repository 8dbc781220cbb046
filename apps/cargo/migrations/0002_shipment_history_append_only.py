"""Shipment events are append-only (invariant 3 of docs/architecture.md; apps.core.db trigger)."""

from django.db import migrations

from apps.core.db import refuse_row_changes


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_refuse_row_change_function"),
        ("cargo", "0001_hubs_trips_shipments"),
    ]

    operations = [
        refuse_row_changes(table="cargo_shipmentevent", reason="shipment history is append-only"),
    ]
