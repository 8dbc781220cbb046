"""Admin of bookings: requests, quotes, bookings and reviews, read-only (services write them)."""

from __future__ import annotations

from django.contrib import admin

from apps.bookings.models import Booking, BookingEvent, MoveRequest, Quote, Review
from apps.core.admin import ReadOnlyAdmin, ReadOnlyInline


class QuoteInline(ReadOnlyInline):
    model = Quote
    fields = ("company", "status", "total", "currency", "pricing_config", "expires_at")
    readonly_fields = fields


class BookingEventInline(ReadOnlyInline):
    model = BookingEvent
    fields = ("at", "kind", "actor", "data")
    readonly_fields = fields
    ordering = ["at", "id"]


@admin.register(MoveRequest)
class MoveRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "customer", "move_date", "origin_address", "destination_address"]
    list_select_related = ["customer"]
    list_filter = ["move_date"]
    search_fields = ["=id", "customer__email", "=customer__phone", "origin_address"]
    date_hierarchy = "move_date"
    inlines = [QuoteInline]


@admin.register(Quote)
class QuoteAdmin(ReadOnlyAdmin):
    list_display = ["id", "move_request", "company", "status", "total", "currency", "expires_at"]
    list_select_related = ["company", "move_request"]
    list_filter = ["status"]
    search_fields = ["=id", "=move_request__id", "company__name", "move_request__customer__email"]


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["id", "company", "customer", "status", "total", "currency", "created_at"]
    list_select_related = ["company", "customer"]
    list_filter = ["status"]
    search_fields = ["=id", "customer__email", "=customer__phone", "company__name"]
    # Never shown: the customer's proof-of-delivery code is theirs to give at the door.
    exclude = ["handover_code"]
    inlines = [BookingEventInline]


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
