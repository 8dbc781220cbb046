"""App config for apps.tracking."""

from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "apps.tracking"
    label = "tracking"
    default_auto_field = "django.db.models.BigAutoField"
