"""Notifications and booking message threads."""

from django.urls import path

from apps.bookings.api import views_engagement as views

urlpatterns: list = [
    path("notifications/", views.NotificationListApi.as_view(), name="notification-list"),
    path(
        "notifications/read-all/",
        views.NotificationReadAllApi.as_view(),
        name="notification-read-all",
    ),
    path(
        "notifications/<int:notification_id>/read/",
        views.NotificationReadApi.as_view(),
        name="notification-read",
    ),
    path(
        "bookings/<int:booking_id>/messages/",
        views.BookingMessagesApi.as_view(),
        name="booking-messages",
    ),
]
