"""Admin for companies with their members, trucks, drivers and service areas inline.

No map widgets: GISModelAdmin loads OpenLayers from a CDN, which does not work offline. Points
are shown and edited as WKT in a plain textarea (`POINT(lng lat)`); service areas are shown
read-only (vertex count, bounding box and GeoJSON) and changed through the API, which validates
them. verification_status is read-only: only apps.verification changes it, and a save here
(currency, trucks, drivers, members) recomputes it like the services do (apps.companies.hooks).
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.contrib.gis.db import models as gis_models
from django.utils.html import format_html

from apps.companies.geometry import multipolygon_to_geojson
from apps.companies.hooks import company_changed
from apps.companies.locking import company_lock
from apps.companies.models import Company, Driver, Membership, ServiceArea, Truck

WKT_TEXTAREA = {"widget": forms.Textarea(attrs={"rows": 2, "cols": 60})}
GEOJSON_PREVIEW_CHARS = 2_000


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "is_active", "invitation_sent_at", "created_at"]
    readonly_fields = ["invitation_sent_at", "created_at"]


class TruckInline(admin.TabularInline):
    model = Truck
    extra = 0
    fields = ["plate", "label", "capacity_m3", "payload_kg", "status", "home_location"]
    formfield_overrides = {gis_models.PointField: WKT_TEXTAREA}


class DriverInline(admin.TabularInline):
    model = Driver
    extra = 0
    raw_id_fields = ["membership"]
    fields = ["membership", "licence_number", "phone"]


class ServiceAreaInline(admin.TabularInline):
    model = ServiceArea
    extra = 0
    fields = ["name", "area_summary"]
    readonly_fields = ["area_summary"]
    can_delete = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # areas are created through the API, which validates the geometry

    @admin.display(description="area")
    def area_summary(self, area: ServiceArea) -> str:
        return _area_summary(area)


def _area_summary(area: ServiceArea) -> str:
    if area.area is None:
        return "-"
    xmin, ymin, xmax, ymax = area.area.extent
    geojson = json.dumps(multipolygon_to_geojson(area.area))
    if len(geojson) > GEOJSON_PREVIEW_CHARS:
        geojson = geojson[:GEOJSON_PREVIEW_CHARS] + " ..."
    bbox = f"lng {xmin:.4f}..{xmax:.4f}, lat {ymin:.4f}..{ymax:.4f}"
    return format_html("{} vertices, {}<br><code>{}</code>", area.area.num_coords, bbox, geojson)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "slug",
        "registration_number",
        "email",
        "verification_status",
        "currency",
        "created_at",
    ]
    list_filter = ["verification_status", "currency"]
    search_fields = ["name", "slug", "registration_number", "email"]
    readonly_fields = ["verification_status", "verification_changed_at", "created_at", "updated_at"]
    formfield_overrides = {gis_models.PointField: WKT_TEXTAREA}
    inlines = [MembershipInline, TruckInline, DriverInline, ServiceAreaInline]
    fieldsets = (
        (None, {"fields": ("name", "slug", "legal_name", "registration_number")}),
        ("Contact", {"fields": ("email", "phone")}),
        ("Location and locale", {"fields": ("base_location", "currency", "timezone")}),
        (
            "Verification (changed by the verification review only)",
            {"fields": ("verification_status", "verification_changed_at")},
        ),
        ("Dates", {"fields": ("created_at", "updated_at")}),
    )

    # The admin saves the company and its inlines in one transaction: lock the company row
    # first (the lock order of every service), then recompute once everything is saved.
    def save_model(self, request, obj: Company, form, change: bool) -> None:
        if change:
            company_lock(company_id=obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        company_changed(company=form.instance, reason="Changed in the admin.")


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "company"]
    search_fields = ["name", "company__name", "company__slug"]
    list_select_related = ["company"]
    raw_id_fields = ["company"]
    fields = ["company", "name", "area_summary", "created_at", "updated_at"]
    readonly_fields = ["area_summary", "created_at", "updated_at"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="area")
    def area_summary(self, area: ServiceArea) -> str:
        return _area_summary(area)
