"""Dashboard pages of apps.bookings (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.bookings import (
    views_bookings,
    views_driver,
    views_insights,
    views_invoices,
    views_reviews,
    views_schedule,
    views_today,
)

urlpatterns = [
    path("", views_today.home, name="home"),
    path("today/", views_today.today, name="today"),
    path("bookings/", views_bookings.bookings, name="bookings"),
    path("bookings/<int:booking_id>/", views_bookings.booking_detail, name="booking-detail"),
    path(
        "bookings/<int:booking_id>/schedule/",
        views_bookings.booking_schedule_action,
        name="booking-schedule",
    ),
    path(
        "bookings/<int:booking_id>/start/",
        views_bookings.booking_start_action,
        name="booking-start",
    ),
    path(
        "bookings/<int:booking_id>/complete/",
        views_bookings.booking_complete_action,
        name="booking-complete",
    ),
    path(
        "bookings/<int:booking_id>/cancel/",
        views_bookings.booking_cancel_action,
        name="booking-cancel",
    ),
    path(
        "bookings/<int:booking_id>/messages/",
        views_bookings.booking_message_action,
        name="booking-message",
    ),
    path("schedule/", views_schedule.schedule, name="schedule"),
    path("jobs/", views_driver.driver_job_list, name="driver-jobs"),
    path("jobs/<int:booking_id>/start/", views_driver.driver_job_start, name="driver-job-start"),
    path(
        "jobs/<int:booking_id>/complete/",
        views_driver.driver_job_complete,
        name="driver-job-complete",
    ),
    path("insights/", views_insights.insights, name="insights"),
    path("invoices/", views_invoices.invoices, name="invoices"),
    path("invoices/<int:number>/", views_invoices.invoice, name="invoice"),
    path("reviews/", views_reviews.reviews, name="reviews"),
    path("reviews/<int:review_id>/reply/", views_reviews.review_reply, name="review-reply"),
]
