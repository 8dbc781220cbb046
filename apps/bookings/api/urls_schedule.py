"""Scheduling: schedule/reschedule, suggestions, a company's availability."""

from django.urls import path

from apps.bookings.api import views_schedule as views

urlpatterns: list = [
    path(
        "bookings/<int:booking_id>/schedule/",
        views.BookingScheduleApi.as_view(),
        name="booking-schedule",
    ),
    path(
        "bookings/<int:booking_id>/suggestions/",
        views.BookingSuggestionsApi.as_view(),
        name="booking-suggestions",
    ),
    path(
        "companies/<int:company_id>/availability/",
        views.CompanyAvailabilityApi.as_view(),
        name="company-availability",
    ),
]
