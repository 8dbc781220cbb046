"""Enable btree_gist (exclusion constraints over ranges and ids) and create the dev outbox."""

from django.contrib.postgres.operations import BtreeGistExtension, CreateExtension
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        CreateExtension("postgis"),
        BtreeGistExtension(),
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "channel",
                    models.CharField(choices=[("sms", "SMS"), ("email", "E-mail")], max_length=8),
                ),
                ("to", models.CharField(db_index=True, max_length=254)),
                ("subject", models.CharField(blank=True, max_length=255)),
                ("body", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True)),
            ],
            options={"ordering": ["-created_at", "-id"]},
        ),
    ]
