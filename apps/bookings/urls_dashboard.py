"""Dashboard pages of apps.bookings (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.bookings import views_insights, views_today

urlpatterns = [
    path("", views_today.home, name="home"),
    path("today/", views_today.today, name="today"),
    path("insights/", views_insights.insights, name="insights"),
]
