"""/health/, /ready/ (database, Redis, broker) and /metrics."""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nobody listens on: bind, read the number, close."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_health_answers_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_reports_every_dependency_ok(client):
    response = client.get("/ready/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "ok", "broker": "ok"}


def test_ready_is_503_naming_redis_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["redis"].startswith("error: ")


def test_ready_is_503_naming_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/ready/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error: ")
    assert response.json()["redis"] == "ok"


def test_metrics_exposes_prometheus_text(client):
    client.get("/health/")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert b"django_http_requests_total_by_method_total" in response.content


def test_api_docs_and_schema_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    # Swagger UI comes from the sidecar package, not a CDN.
    assert b"drf_spectacular_sidecar/swagger-ui-dist" in docs.content
