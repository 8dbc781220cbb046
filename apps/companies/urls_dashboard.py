"""Dashboard pages of apps.companies (joined into the `dashboard` namespace)."""

from django.urls import path

from apps.companies import views_dashboard, views_invitation

urlpatterns = [
    path("switch/", views_dashboard.company_switch, name="company-switch"),
    path("invitations/accept/", views_invitation.invitation_accept, name="invitation-accept"),
]
