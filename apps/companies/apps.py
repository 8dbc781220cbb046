"""App config for apps.companies."""

from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "apps.companies"
    label = "companies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Accounts is the lower layer: it learns a user's memberships through this hook
        # instead of importing companies (see apps/accounts/memberships.py).
        from apps.accounts.memberships import memberships_provider_register
        from apps.companies.selectors import user_memberships

        memberships_provider_register(user_memberships)
