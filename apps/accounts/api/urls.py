"""Routes of the accounts API under /api/v1/."""

from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("auth/otp/request/", views.OtpRequestApi.as_view(), name="auth-otp-request"),
    path("auth/otp/verify/", views.OtpVerifyApi.as_view(), name="auth-otp-verify"),
    path("auth/token/", views.StaffTokenApi.as_view(), name="auth-token"),
    path("auth/token/refresh/", views.TokenRefreshApi.as_view(), name="auth-token-refresh"),
    path("auth/logout/", views.LogoutApi.as_view(), name="auth-logout"),
    path("me/", views.MeApi.as_view(), name="me"),
    path("me/totp/", views.TotpEnrolApi.as_view(), name="me-totp"),
    path("me/totp/confirm/", views.TotpConfirmApi.as_view(), name="me-totp-confirm"),
]
