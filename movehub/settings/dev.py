"""Local development: DEBUG, console logs, the dev outbox, local services from bootstrap."""

from __future__ import annotations

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me-padded-to-64-bytes-for-hs256-xyz"
)
os.environ.setdefault("DATABASE_URL", "postgis://movehub@127.0.0.1:55432/movehub")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:56379/0")
os.environ.setdefault("LOG_FORMAT", "console")

from movehub.settings.base import *  # noqa: F403

DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]
EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"
SMS_BACKEND = "apps.core.messaging.ConsoleSmsBackend"
OUTBOX_ENABLED = True
# Static files are served from the app directories without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
# The admin asks for a verified TOTP device only in prod (see movehub/urls.py); dev relaxes it so
# the seeded admin can sign in with a password. This is deliberate and dev-only.
ADMIN_REQUIRES_OTP = False
