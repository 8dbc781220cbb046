"""Data: the "Reviewers" group (review documents, view verification records)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Reviewers"
PERMISSIONS = [
    ("verification", "document", "review_document"),
    ("verification", "document", "view_document"),
    ("verification", "documentreview", "view_documentreview"),
    ("verification", "documentreminder", "view_documentreminder"),
    ("verification", "companyverification", "view_companyverification"),
    ("verification", "companystatuschange", "view_companystatuschange"),
]


def create_reviewers(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make sure they exist.
    app_config = apps.get_app_config("verification")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for app_label, model, codename in PERMISSIONS:
        # Proxy models (companyverification) have their own content type and permissions.
        content_type = ContentType.objects.get(app_label=app_label, model=model)
        permission = Permission.objects.get(content_type=content_type, codename=codename)
        group.permissions.add(permission)


def delete_reviewers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("verification", "0002_history_append_only_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_reviewers, delete_reviewers)]
