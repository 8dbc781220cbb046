"""Celery settings (imported by base): broker on Redis, beat schedule, eager only on request."""

from __future__ import annotations

from movehub.settings.env import env, redis_url_with_db

# Its own logical database (1 by default), never the cache's: a cache clear is a FLUSHDB.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="") or redis_url_with_db(
    env.str("REDIS_URL"), 1
)
# No result backend by default: tasks report through the database rows they write. Setting one
# (e.g. the Redis URL) keeps results, which the worker integration test uses to wait for a task.
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_IGNORE_RESULT = CELERY_RESULT_BACKEND is None
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
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
