"""Shared fixtures: API clients, users, and the alice/bob pair of companies for tenant tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the Redis cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def celery_eager(settings):
    """Run Celery tasks inline for the tests that ask for it."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from movehub.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
