"""Operations endpoints: liveness, readiness (database, Redis, Celery broker) and the API 404."""

from __future__ import annotations

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from kombu import Connection

from apps.core.errors import error_body

CHECK_TIMEOUT_SECONDS = 2


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else on purpose."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
        socket_timeout=CHECK_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()


def _check_broker() -> None:
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=CHECK_TIMEOUT_SECONDS,
        transport_options={"socket_connect_timeout": CHECK_TIMEOUT_SECONDS},
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT_SECONDS)


READINESS_CHECKS = {"database": _check_database, "redis": _check_redis, "broker": _check_broker}


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: every dependency answers. 503 names those that did not."""
    results: dict[str, str] = {}
    for name, check in READINESS_CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the type says why
            results[name] = f"error: {type(exc).__name__}"
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    return JsonResponse(results, status=503 if failed else 200)


@csrf_exempt
def api_not_found(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body("not_found", "No such API endpoint."), status=404)
