"""Shared fixtures: API clients, users, and the alice/bob pair of companies for tenant tests."""

from __future__ import annotations

import copy
import uuid

import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets its own cache key prefix, so throttle counters start from zero.

    Nothing is flushed: other xdist workers and other runs share the Redis server, and a FLUSHDB
    would wipe their keys mid-test.
    """
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = f"movehub-test-{uuid.uuid4().hex}"
    settings.CACHES = caches


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


def auth_client_for(user) -> APIClient:
    """An API client carrying a fresh JWT access token for `user`."""
    from rest_framework_simplejwt.tokens import RefreshToken

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def alice(db):
    """Company 'alice' with an owner, a dispatcher, a driver, a truck and a service area."""
    return _staffed_company("alice")


@pytest.fixture
def bob(db):
    """Company 'bob', the other tenant: every staff endpoint gets a cross-tenant test with it."""
    return _staffed_company("bob")


def _staffed_company(name: str):
    from types import SimpleNamespace

    from apps.companies.models import Membership
    from tests.companies.factories import (
        CompanyFactory,
        DriverFactory,
        MembershipFactory,
        ServiceAreaFactory,
        TruckFactory,
    )

    company = CompanyFactory(name=name.title(), slug=name)
    owner = MembershipFactory(company=company, role=Membership.Role.OWNER).user
    dispatcher = MembershipFactory(company=company, role=Membership.Role.DISPATCHER).user
    driver = DriverFactory(company=company)
    return SimpleNamespace(
        company=company,
        owner=owner,
        dispatcher=dispatcher,
        driver=driver,
        driver_user=driver.membership.user,
        truck=TruckFactory(company=company),
        area=ServiceAreaFactory(company=company),
        owner_client=auth_client_for(owner),
        dispatcher_client=auth_client_for(dispatcher),
        driver_client=auth_client_for(driver.membership.user),
    )


@pytest.fixture(scope="module")
def asgi_server(django_db_setup, django_db_blocker):
    """A real ASGI server (the Procfile's web line) on the test database, one per test module.

    Tests using it must be `django_db(transaction=True)`: the server sees committed rows only.
    See tests/live_server.py.
    """
    server = _live_server_start(django_db_blocker)
    yield server
    server.stop()


@pytest.fixture
def asgi_server_factory(django_db_setup, django_db_blocker):
    """Start real ASGI servers with extra environment variables; all stopped after the test."""
    servers = []

    def _start(**env: str):
        server = _live_server_start(django_db_blocker, env=env)
        servers.append(server)
        return server

    yield _start
    for server in servers:
        server.stop()


def _live_server_start(django_db_blocker, env: dict[str, str] | None = None):
    from django.db import connection

    from tests.live_server import LiveServer

    with django_db_blocker.unblock():
        database_name = connection.settings_dict["NAME"]
    return LiveServer(database_name=database_name, env=env).start()
