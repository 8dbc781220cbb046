"""Dashboard pages of apps.companies (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.companies import views_dashboard

urlpatterns = [
    path("switch/", views_dashboard.company_switch, name="company-switch"),
]
