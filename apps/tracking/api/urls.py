"""Routes of the tracking API under /api/v1/."""

from django.urls import path

from apps.tracking.api import views_share

urlpatterns: list = [
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
