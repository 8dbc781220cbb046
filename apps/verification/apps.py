"""App config for apps.verification."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VerificationConfig(AppConfig):
    name = "apps.verification"
    label = "verification"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from apps.verification.reviewers import reviewers_group_post_migrate

        # After auth's own post_migrate handler (auth is installed first): permissions exist.
        post_migrate.connect(
            reviewers_group_post_migrate, sender=self, dispatch_uid="verification-reviewers"
        )
