"""Trips: price per m3 at most 100,000.00, so a two-leg shipment's price never overflows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0004_booking_event_at_settable"),
        ("cargo", "0002_shipment_history_append_only"),
        ("companies", "0003_company_review_counters"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="trip",
            constraint=models.CheckConstraint(
                condition=models.Q(("price_per_m3__lte", 100000)),
                name="cargo_trip_price_per_m3_capped",
            ),
        ),
    ]
