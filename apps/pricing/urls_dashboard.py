"""Dashboard pages of apps.pricing (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.pricing import views_dashboard

urlpatterns = [
    path("pricing/", views_dashboard.pricing, name="pricing"),
    path("pricing/preview/", views_dashboard.pricing_preview, name="pricing-preview"),
    path("pricing/history/", views_dashboard.pricing_history, name="pricing-history"),
]
