"""Reviews: a booking's review and the company's reply; a company's public review list."""

from django.urls import path

from apps.bookings.api import views_reviews

urlpatterns = [
    path(
        "bookings/<int:booking_id>/review/",
        views_reviews.BookingReviewApi.as_view(),
        name="booking-review",
    ),
    path(
        "bookings/<int:booking_id>/review/reply/",
        views_reviews.BookingReviewReplyApi.as_view(),
        name="booking-review-reply",
    ),
    # Served by bookings (reviews live here); companies must not import bookings.
    path(
        "companies/<int:company_id>/reviews/",
        views_reviews.CompanyReviewListApi.as_view(),
        name="company-reviews",
    ),
]
