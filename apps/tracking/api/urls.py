"""Routes of the tracking REST API under /api/v1/: tracks, fleet positions, share links."""

from django.urls import path

from apps.tracking.api import views, views_share

urlpatterns: list = [
    path("bookings/<int:booking_id>/track/", views.BookingTrackApi.as_view(), name="booking-track"),
    path(
        "companies/<int:company_id>/fleet/positions/",
        views.FleetPositionsApi.as_view(),
        name="fleet-positions",
    ),
    path(
        "bookings/<int:booking_id>/share-links/",
        views_share.ShareLinkCreateApi.as_view(),
        name="booking-share-links",
    ),
    path(
        "bookings/<int:booking_id>/share-links/<str:token>/",
        views_share.ShareLinkRevokeApi.as_view(),
        name="booking-share-link",
    ),
]
