"""Routes of the cargo API under /api/v1/cargo/."""

from django.urls import path

from apps.cargo.api import views_routes

urlpatterns = [
    path("routes/", views_routes.RouteSearchApi.as_view(), name="cargo-routes"),
]
