"""The "Reviewers" group: who may review documents in the admin (and view verification records).

Created by data migration 0003; also re-ensured after every migrate/flush (post_migrate), because
a database flush (TransactionTestCase, `manage.py flush`) empties it while Django re-creates the
permissions themselves. Only adds what is missing: permissions added by hand are kept.
"""

from __future__ import annotations

from typing import Any

REVIEWERS_GROUP = "Reviewers"
REVIEWER_PERMISSIONS = [
    ("document", "review_document"),
    ("document", "view_document"),
    ("documentreview", "view_documentreview"),
    ("documentreminder", "view_documentreminder"),
    ("companyverification", "view_companyverification"),
    ("companystatuschange", "view_companystatuschange"),
]


def reviewers_group_ensure(*, apps: Any, using: str = "default") -> None:
    """Create the group and give it its permissions (idempotent; `apps`: a model registry)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.using(using).get_or_create(name=REVIEWERS_GROUP)
    permissions = Permission.objects.using(using).filter(
        content_type__app_label="verification",
        content_type__model__in=[model for model, _ in REVIEWER_PERMISSIONS],
        codename__in=[codename for _, codename in REVIEWER_PERMISSIONS],
    )
    group.permissions.add(*permissions)


def reviewers_group_post_migrate(
    sender: Any, apps: Any = None, using: str = "default", **kwargs: Any
) -> None:
    if apps is None:
        # `manage.py flush` (and so every TransactionTestCase teardown) sends post_migrate
        # without a model registry: use the installed models.
        from django.apps import apps as installed_apps

        apps = installed_apps
    try:
        apps.get_model("verification", "Document")
        apps.get_model("auth", "Group")
    except LookupError:  # migrating backwards, or these models are not installed yet
        return
    reviewers_group_ensure(apps=apps, using=using)
