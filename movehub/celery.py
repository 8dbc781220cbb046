"""Celery application: configured from Django settings (CELERY_*), tasks autodiscovered in apps."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "movehub.settings.dev")

app = Celery("movehub")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
