"""Dashboard pages of apps.bookings (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.bookings import views_insights, views_invoices, views_reviews, views_today

urlpatterns = [
    path("", views_today.home, name="home"),
    path("today/", views_today.today, name="today"),
    path("insights/", views_insights.insights, name="insights"),
    path("invoices/", views_invoices.invoices, name="invoices"),
    path("invoices/<int:number>/", views_invoices.invoice, name="invoice"),
    path("reviews/", views_reviews.reviews, name="reviews"),
    path("reviews/<int:review_id>/reply/", views_reviews.review_reply, name="review-reply"),
]
