"""Bookings admin: reviews (read-only list with search and filters; they change through the API)."""

from __future__ import annotations

from django.contrib import admin

from apps.bookings.models import Review
from apps.core.admin import ReadOnlyAdmin


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["id", "company", "booking", "rating", "created_at", "replied_at"]
    list_filter = ["rating", ("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["company__name", "comment", "reply", "customer__email", "customer__phone"]
    list_select_related = ["company", "booking"]
    ordering = ["-created_at", "-id"]
    readonly_fields = [
        "booking",
        "company",
        "customer",
        "rating",
        "comment",
        "created_at",
        "reply",
        "replied_at",
        "replied_by",
    ]
