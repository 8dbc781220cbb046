"""Admin: pricing config versions (read-only, the rules pretty-printed) and the catalogue."""

from __future__ import annotations

import json
from typing import ClassVar

from django.contrib import admin
from django.utils.html import format_html

from apps.core.admin import ReadOnlyAdmin
from apps.pricing.models import InventoryItem, PricingConfig


@admin.register(PricingConfig)
class PricingConfigAdmin(ReadOnlyAdmin):
    """Versions are immutable (a trigger refuses UPDATE/DELETE): look, never touch."""

    list_display = ["company", "version", "currency", "created_by", "created_at"]
    list_select_related = ["company", "created_by"]
    search_fields = ["company__name", "company__slug"]
    ordering = ["company__name", "company_id", "-version"]
    fields: ClassVar[tuple[str, ...]] = (
        "company",
        "version",
        "created_by",
        "created_at",
        "rules_pretty",
    )
    readonly_fields = fields

    @admin.display(description="currency")
    def currency(self, config: PricingConfig) -> str:
        return config.currency

    @admin.display(description="rules")
    def rules_pretty(self, config: PricingConfig) -> str:
        text = json.dumps(config.rules, indent=2, ensure_ascii=False)
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)


@admin.register(InventoryItem)
class InventoryItemAdmin(admin.ModelAdmin):
    """The catalogue quotes use for items listed without a volume; deactivate rather than
    delete an item customers may still send (an inactive code needs its own volume_m3)."""

    list_display = ["code", "label", "volume_m3", "is_active", "updated_at"]
    list_editable = ["volume_m3", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "label"]
    ordering = ["code"]
    readonly_fields = ["created_at", "updated_at"]
