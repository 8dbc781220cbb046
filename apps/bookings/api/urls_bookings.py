"""Bookings: list, detail, events."""

from django.urls import path

from apps.bookings.api import views_bookings as views

urlpatterns = [
    path("bookings/", views.BookingListApi.as_view(), name="booking-list"),
    path("bookings/<int:booking_id>/", views.BookingDetailApi.as_view(), name="booking-detail"),
    path(
        "bookings/<int:booking_id>/events/",
        views.BookingEventListApi.as_view(),
        name="booking-events",
    ),
]
