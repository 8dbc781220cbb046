"""App config for apps.demo (no models: only the seed_demo command, above every domain app)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "apps.demo"
    label = "demo"
