"""Dashboard pages of apps.tracking (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.tracking import views_dashboard

urlpatterns = [
    path("map/", views_dashboard.live_map, name="live-map"),
]
