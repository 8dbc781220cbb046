"""Dashboard account pages (sign-in, sign-out, passwords), included under /dashboard/."""

from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login-code"),
    path("logout/", views.StaffLogoutView.as_view(), name="logout"),
    path("password-reset/", views.StaffPasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        views.StaffPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/done/",
        views.StaffPasswordSetDoneView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.StaffPasswordSetView.as_view(),
        name="password_reset_confirm",
    ),
]
