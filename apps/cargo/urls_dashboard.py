"""Dashboard pages of apps.cargo (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.cargo import views_dashboard

urlpatterns = [
    path("trips/", views_dashboard.trips, name="trips"),
    path("trips/publish/", views_dashboard.trip_publish_action, name="trip-publish"),
    path("trips/<int:trip_id>/", views_dashboard.trip_detail, name="trip-detail"),
    path("trips/<int:trip_id>/depart/", views_dashboard.trip_depart_action, name="trip-depart"),
    path("trips/<int:trip_id>/arrive/", views_dashboard.trip_arrive_action, name="trip-arrive"),
    path("trips/<int:trip_id>/cancel/", views_dashboard.trip_cancel_action, name="trip-cancel"),
]
