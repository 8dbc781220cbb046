"""Celery settings (imported by base): broker on Redis, beat schedule, eager only on request."""

from __future__ import annotations

from movehub.settings.env import env

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or env.str("REDIS_URL")
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"

# Periodic jobs. Each entry names a task that is thin and idempotent (it may run twice).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "core-outbox-prune": {
        "task": "apps.core.tasks.outbox_prune_task",
        "schedule": 24 * 3600,
    },
}
