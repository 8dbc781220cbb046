"""Test settings: real PostgreSQL/PostGIS and Redis from bootstrap, fast hashing, dev outbox."""

from __future__ import annotations

import os

os.environ.setdefault(
    "DJANGO_SECRET_KEY", "test-only-insecure-key-padded-to-64-bytes-for-hs256-0123456789ab"
)
os.environ.setdefault("DATABASE_URL", "postgis://movehub@127.0.0.1:55432/movehub")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:56379/0")
os.environ.setdefault("LOG_FORMAT", "console")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from movehub.settings.base import *  # noqa: F403

# Parallel runs (pytest-xdist workers, several checkouts) must not share keys or databases.
# Computed here, not exported: xdist workers inherit the controller's environment.
# (Each test also gets its own cache prefix: tests/conftest.py; each live ASGI server started by
# tests/live_server.py gets its own MOVEHUB_TEST_RUN_ID.)
_run = os.environ.get("MOVEHUB_TEST_RUN_ID") or (
    os.environ.get("PYTEST_XDIST_WORKER", "main") + os.environ.get("TEST_RUN_SUFFIX", "")
)
CACHES["default"]["KEY_PREFIX"] = f"movehub-test-{_run}"  # noqa: F405
CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"movehub-test-{_run}:asgi"  # noqa: F405

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "apps.core.messaging.OutboxEmailBackend"
SMS_BACKEND = "apps.core.messaging.OutboxSmsBackend"
OUTBOX_ENABLED = True
ADMIN_REQUIRES_OTP = False
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
DATABASES["default"]["TEST"] = {"NAME": f"test_movehub{os.environ.get('TEST_RUN_SUFFIX', '')}"}  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / _run  # noqa: F405
# Throttling stays on (tests assert 429s); rates are generous unless a test overrides them.
AXES_ENABLED = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The race tests release 30 threads at once; each holds a pooled connection while it waits on the
# company row lock. With the default 10 connections the last ones wait for a connection longer
# than the pool timeout on a loaded machine, and fail for that reason rather than the race's.
if "pool" in DATABASES["default"].get("OPTIONS", {}):  # noqa: F405
    DATABASES["default"]["OPTIONS"]["pool"]["max_size"] = int(  # noqa: F405
        os.environ.get("DATABASE_POOL_MAX_SIZE", "32")
    )
