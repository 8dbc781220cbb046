"""Hubs, trips, shipments, their legs and history (apps.cargo, the shared-loads model)."""

import django.contrib.gis.db.models.fields
import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import apps.companies.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("bookings", "0003_b4_notification_deliveries"),
        ("companies", "0003_company_review_counters"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Hub",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "code",
                    models.CharField(
                        max_length=8,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z0-9]{3,8}$",
                                "3 to 8 upper-case letters or digits, such as BER.",
                            )
                        ],
                    ),
                ),
                ("name", models.CharField(max_length=120)),
                (
                    "location",
                    django.contrib.gis.db.models.fields.PointField(geography=True, srid=4326),
                ),
                (
                    "timezone",
                    models.CharField(
                        max_length=64, validators=[apps.companies.models.validate_timezone]
                    ),
                ),
                ("is_active", models.BooleanField(default=True)),
            ],
            options={
                "ordering": ["code"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("code__regex", "^[A-Z0-9]{3,8}$")),
                        name="cargo_hub_code_format",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Shipment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("reference", models.CharField(editable=False, max_length=16, unique=True)),
                ("volume_m3", models.DecimalField(decimal_places=3, max_digits=7)),
                ("weight_kg", models.DecimalField(decimal_places=3, max_digits=9)),
                ("price", models.DecimalField(decimal_places=2, max_digits=12)),
                (
                    "currency",
                    models.CharField(
                        max_length=3,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z]{3}$", "An ISO 4217 code such as EUR."
                            )
                        ],
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("BOOKED", "Booked"),
                            ("DEPARTED", "Departed"),
                            ("ARRIVED", "Arrived"),
                            ("DELIVERED", "Delivered"),
                            ("CANCELLED", "Cancelled"),
                        ],
                        default="BOOKED",
                        max_length=16,
                    ),
                ),
                (
                    "customer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="shipments",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Trip",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("departs_at", models.DateTimeField()),
                ("arrives_at", models.DateTimeField()),
                ("departs_on_local", models.DateField(editable=False)),
                ("capacity_m3", models.DecimalField(decimal_places=3, max_digits=7)),
                ("capacity_kg", models.DecimalField(decimal_places=3, max_digits=9)),
                ("sold_m3", models.DecimalField(decimal_places=3, default=0, max_digits=7)),
                ("sold_kg", models.DecimalField(decimal_places=3, default=0, max_digits=9)),
                ("price_per_m3", models.DecimalField(decimal_places=2, max_digits=10)),
                ("min_charge", models.DecimalField(decimal_places=2, default=0, max_digits=10)),
                (
                    "currency",
                    models.CharField(
                        max_length=3,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[A-Z]{3}$", "An ISO 4217 code such as EUR."
                            )
                        ],
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("scheduled", "Scheduled"),
                            ("departed", "Departed"),
                            ("arrived", "Arrived"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="scheduled",
                        max_length=16,
                    ),
                ),
                ("departed_at", models.DateTimeField(blank=True, null=True)),
                ("arrived_at", models.DateTimeField(blank=True, null=True)),
                (
                    "allocation",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="trip",
                        to="bookings.truckallocation",
                    ),
                ),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="trips",
                        to="companies.company",
                    ),
                ),
                (
                    "destination_hub",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="arrivals",
                        to="cargo.hub",
                    ),
                ),
                (
                    "origin_hub",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="departures",
                        to="cargo.hub",
                    ),
                ),
                (
                    "truck",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="trips",
                        to="companies.truck",
                    ),
                ),
            ],
            options={
                "ordering": ["departs_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="ShipmentLeg",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField()),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="companies.company",
                    ),
                ),
                (
                    "shipment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="legs",
                        to="cargo.shipment",
                    ),
                ),
                (
                    "trip",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="legs",
                        to="cargo.trip",
                    ),
                ),
            ],
            options={
                "ordering": ["shipment", "order"],
            },
        ),
        migrations.AddField(
            model_name="shipment",
            name="trips",
            field=models.ManyToManyField(
                related_name="shipments", through="cargo.ShipmentLeg", to="cargo.trip"
            ),
        ),
        migrations.CreateModel(
            name="ShipmentEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("BOOKED", "Booked"),
                            ("DEPARTED", "Departed"),
                            ("ARRIVED", "Arrived"),
                            ("DELIVERED", "Delivered"),
                            ("CANCELLED", "Cancelled"),
                        ],
                        max_length=16,
                    ),
                ),
                ("at", models.DateTimeField()),
                ("note", models.CharField(blank=True, max_length=300)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "hub",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="cargo.hub",
                    ),
                ),
                (
                    "shipment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="cargo.shipment",
                    ),
                ),
            ],
            options={
                "ordering": ["at", "id"],
                "indexes": [
                    models.Index(fields=["shipment", "at"], name="cargo_shipm_shipmen_eaa633_idx")
                ],
            },
        ),
        migrations.AddIndex(
            model_name="trip",
            index=models.Index(
                fields=["origin_hub", "departs_on_local"], name="cargo_trip_origin_date"
            ),
        ),
        migrations.AddIndex(
            model_name="trip",
            index=models.Index(
                fields=["origin_hub", "departs_at"], name="cargo_trip_origin_departs"
            ),
        ),
        migrations.AddIndex(
            model_name="trip",
            index=models.Index(fields=["company", "departs_at"], name="cargo_trip_company_departs"),
        ),
        migrations.AddConstraint(
            model_name="trip",
            constraint=models.CheckConstraint(
                condition=models.Q(("sold_m3__gte", 0), ("sold_m3__lte", models.F("capacity_m3"))),
                name="cargo_trip_sold_m3_within_capacity",
            ),
        ),
        migrations.AddConstraint(
            model_name="trip",
            constraint=models.CheckConstraint(
                condition=models.Q(("sold_kg__gte", 0), ("sold_kg__lte", models.F("capacity_kg"))),
                name="cargo_trip_sold_kg_within_capacity",
            ),
        ),
        migrations.AddConstraint(
            model_name="trip",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity_kg__gt", 0), ("capacity_m3__gt", 0)),
                name="cargo_trip_capacity_positive",
            ),
        ),
        migrations.AddConstraint(
            model_name="trip",
            constraint=models.CheckConstraint(
                condition=models.Q(("min_charge__gte", 0), ("price_per_m3__gte", 0)),
                name="cargo_trip_prices_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="trip",
            constraint=models.CheckConstraint(
                condition=models.Q(("arrives_at__gt", models.F("departs_at"))),
                name="cargo_trip_arrives_after_departure",
            ),
        ),
        migrations.AddConstraint(
            model_name="trip",
            constraint=models.CheckConstraint(
                condition=models.Q(("origin_hub", models.F("destination_hub")), _negated=True),
                name="cargo_trip_hubs_differ",
            ),
        ),
        migrations.AddIndex(
            model_name="shipmentleg",
            index=models.Index(fields=["trip"], name="cargo_shipm_trip_id_0c6849_idx"),
        ),
        migrations.AddIndex(
            model_name="shipmentleg",
            index=models.Index(fields=["company"], name="cargo_shipm_company_ef0bcf_idx"),
        ),
        migrations.AddConstraint(
            model_name="shipmentleg",
            constraint=models.UniqueConstraint(
                fields=("shipment", "order"), name="cargo_leg_order_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="shipmentleg",
            constraint=models.UniqueConstraint(
                fields=("shipment", "trip"), name="cargo_leg_trip_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="shipmentleg",
            constraint=models.CheckConstraint(
                condition=models.Q(("order__gte", 1)), name="cargo_leg_order_from_one"
            ),
        ),
        migrations.AddConstraint(
            model_name="shipment",
            constraint=models.CheckConstraint(
                condition=models.Q(("price__gte", 0), ("volume_m3__gt", 0), ("weight_kg__gt", 0)),
                name="cargo_shipment_amounts_positive",
            ),
        ),
    ]
