"""App config for apps.verification."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VerificationConfig(AppConfig):
    name = "apps.verification"
    label = "verification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.companies.hooks import company_changed_hook_register
        from apps.verification.reviewers import reviewers_group_post_migrate
        from apps.verification.services import company_changed_recompute

        # After auth's own post_migrate handler (auth is installed first): permissions exist.
        post_migrate.connect(
            reviewers_group_post_migrate, sender=self, dispatch_uid="verification-reviewers"
        )
        # Companies' services call this explicitly, in their transaction, whenever they change
        # what the status depends on (currency, trucks, drivers, memberships).
        company_changed_hook_register("verification.status", company_changed_recompute)
