"""The expiry sweep through a real Celery worker: broker, task registry, DB effects end to end."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from celery import states
from celery.backends.redis import RedisBackend
from django.conf import settings
from django.db import connection
from django.utils import timezone

from apps.verification.models import CompanyStatusChange, Document
from apps.verification.services import company_verification_recompute
from apps.verification.tasks import verification_expiry_sweep_task
from movehub.celery import app
from tests.verification.factories import approved_set

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    return f"postgis://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _task_meta_when_ready(backend: RedisBackend, task_id: str, *, timeout: float) -> dict:
    """Wait (bounded) until the worker has stored the task's outcome, then return it."""
    deadline = time.monotonic() + timeout
    meta = backend.get_task_meta(task_id)
    while meta["status"] not in states.READY_STATES:
        assert time.monotonic() < deadline, f"task {task_id} not done in {timeout} s: {meta}"
        time.sleep(0.1)  # poll interval of a bounded wait on a real condition
        meta = backend.get_task_meta(task_id)
    return meta


@pytest.fixture
def worker():
    """A real worker process on a queue of its own (so no other worker on this broker takes
    the test's tasks), storing results in Redis so the test can wait for them."""
    queue = f"test-{uuid.uuid4().hex}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "movehub.settings.test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_RESULT_BACKEND": settings.REDIS_URL,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "movehub", "worker", "--queues", queue,
         "--pool", "solo", "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield queue
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
        client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        client.delete(queue)
        client.close()
        assert b"Traceback" not in stderr, stderr.decode()


@pytest.mark.django_db(transaction=True)
def test_the_expiry_sweep_runs_on_a_real_worker_and_unverifies_the_company(alice, worker):
    today = timezone.localdate()
    docs = approved_set(alice.company, truck=alice.truck, driver=alice.driver)
    company_verification_recompute(company=alice.company, reason="setup")
    alice.company.refresh_from_db()
    assert alice.company.verification_status == "verified"
    # The licence ran out today: still approved until a sweep notices.
    Document.objects.filter(pk=docs["operating_licence"].pk).update(
        issued_on=today - timedelta(days=400), expires_on=today
    )

    sent = verification_expiry_sweep_task.apply_async(queue=worker, ignore_result=False)
    backend = RedisBackend(app=app, url=settings.REDIS_URL)
    meta = _task_meta_when_ready(backend, sent.id, timeout=60)

    assert meta["status"] == "SUCCESS", meta
    assert meta["result"] == {"expired": 1, "reminders": 0, "retried": 0}
    alice.company.refresh_from_db()
    assert alice.company.verification_status == "pending"
    assert Document.objects.get(pk=docs["operating_licence"].pk).status == "expired"
    change = CompanyStatusChange.objects.get(company=alice.company, to_status="pending")
    assert change.missing == ["operating_licence"]
