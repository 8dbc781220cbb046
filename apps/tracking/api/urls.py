"""Routes of the tracking REST API under /api/v1/."""

from django.urls import path

from apps.tracking.api import views

urlpatterns: list = [
    path("bookings/<int:booking_id>/track/", views.BookingTrackApi.as_view(), name="booking-track"),
    path(
        "companies/<int:company_id>/fleet/positions/",
        views.FleetPositionsApi.as_view(),
        name="fleet-positions",
    ),
]
