"""Admin of cargo: hubs are managed here; trips and shipments are read-only (services write them).

A hub's code and time zone are fixed once saved: trips store their local departure date from
the origin hub's zone (route search filters on it), and clients refer to hubs by code.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.gis.db import models as gis_models
from django.http import HttpRequest

from apps.cargo.models import Hub, Shipment, ShipmentEvent, ShipmentLeg, Trip
from apps.companies.admin import WKT_TEXTAREA
from apps.core.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "timezone", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "location", "timezone", "is_active"]
    formfield_overrides = {gis_models.PointField: WKT_TEXTAREA}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code", "timezone"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # trips refer to it: deactivate it instead


@admin.register(Trip)
class TripAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "company",
        "origin_hub",
        "destination_hub",
        "departs_at",
        "status",
        "sold_m3",
        "capacity_m3",
    ]
    list_select_related = ["company", "origin_hub", "destination_hub"]
    list_filter = ["status", "origin_hub"]
    search_fields = ["=id", "company__name", "truck__plate"]
    date_hierarchy = "departs_at"


class ShipmentLegInline(ReadOnlyInline):
    model = ShipmentLeg
    fields = ("order", "trip", "company")
    readonly_fields = fields
    ordering = ["order"]


class ShipmentEventInline(ReadOnlyInline):
    model = ShipmentEvent
    fields = ("at", "status", "hub", "actor", "note")
    readonly_fields = fields
    ordering = ["at", "id"]


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "customer", "status", "volume_m3", "price", "currency"]
    list_select_related = ["customer"]
    list_filter = ["status"]
    search_fields = ["reference", "customer__email", "=customer__phone"]
    inlines = [ShipmentLegInline, ShipmentEventInline]
