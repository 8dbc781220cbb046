"""Session login and logout pages for the staff dashboards (server-rendered)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from apps.accounts.forms import StaffLoginForm


class StaffLoginView(auth_views.LoginView):
    """GET the form, POST e-mail + password (+ authenticator code) -> LOGIN_REDIRECT_URL."""

    template_name = "accounts/login.html"
    authentication_form = StaffLoginForm


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django 5): ends the session -> LOGOUT_REDIRECT_URL."""
