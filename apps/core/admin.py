"""Admin for the dev outbox (read-only)."""

from django.contrib import admin

from apps.core.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "to", "subject"]
    list_filter = ["channel"]
    search_fields = ["to", "subject"]
    readonly_fields = ["created_at", "channel", "to", "subject", "body"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
