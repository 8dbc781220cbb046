"""App config for apps.bookings."""

from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "apps.bookings"
    label = "bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Pricing's demand rule reads the utilisation bookings measure (pricing may not import
        # bookings: it declares the slot, we fill it).
        from apps.bookings.schedule_selectors import companies_utilisation_on
        from apps.pricing.selectors import utilisation_provider_register

        utilisation_provider_register(companies_utilisation_on)
