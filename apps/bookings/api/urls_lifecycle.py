"""Lifecycle steps, the invoice and proof-of-delivery photos of a booking."""

from django.urls import path

from apps.bookings.api import views_lifecycle as views

urlpatterns = [
    path("bookings/<int:booking_id>/start/", views.BookingStartApi.as_view()),
    path("bookings/<int:booking_id>/complete/", views.BookingCompleteApi.as_view()),
    path("bookings/<int:booking_id>/cancel/", views.BookingCancelApi.as_view()),
    path("bookings/<int:booking_id>/invoice/", views.BookingInvoiceApi.as_view()),
    path("bookings/<int:booking_id>/photos/", views.BookingPhotoListApi.as_view()),
    path(
        "bookings/<int:booking_id>/photos/<int:photo_id>/file/",
        views.BookingPhotoFileApi.as_view(),
    ),
]
