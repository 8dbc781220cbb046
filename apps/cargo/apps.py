"""App config for apps.cargo."""

from django.apps import AppConfig


class CargoConfig(AppConfig):
    name = "apps.cargo"
    label = "cargo"
    default_auto_field = "django.db.models.BigAutoField"
