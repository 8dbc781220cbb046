"""Routes of the bookings API under /api/v1/: one module per area, included here."""

from django.urls import include, path

urlpatterns: list = [
    path("", include("apps.bookings.api.urls_requests")),
    path("", include("apps.bookings.api.urls_bookings")),
    path("", include("apps.bookings.api.urls_reviews")),
    path("", include("apps.bookings.api.urls_schedule")),
    path("", include("apps.bookings.api.urls_engagement")),
    path("", include("apps.bookings.api.urls_lifecycle")),
]
