"""App config for apps.pricing: registers a system check of the route provider settings."""

from typing import Any

from django.apps import AppConfig
from django.core import checks


class PricingAppConfig(AppConfig):
    name = "apps.pricing"
    label = "pricing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(check_route_provider_settings)


def check_route_provider_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.Error]:
    """PRICING_ROUTE_PROVIDER and its options must build a provider (fail at deploy, not quote)."""
    from django.core.exceptions import ImproperlyConfigured

    from apps.pricing.routes import route_provider

    try:
        route_provider()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="pricing.E001")]
    return []
