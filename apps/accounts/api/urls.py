"""Routes of the accounts API under /api/v1/."""

from django.urls import path

from apps.accounts.api import views

urlpatterns = [
    path("me/", views.MeApi.as_view(), name="me"),
]
