"""Operations endpoints (liveness, readiness) and the API's 404, 400 and 500 in the envelope."""

from __future__ import annotations

import sys

import redis
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from kombu import Connection

from apps.core.errors import error_body
from apps.core.middleware import is_api_path, server_error_response
from apps.core.outage import is_dependency_down, service_unavailable_response


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else on purpose."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    """SELECT 1, giving up after READY_DATABASE_TIMEOUT_SECONDS (not the requests' pool wait)."""
    timeout = settings.READY_DATABASE_TIMEOUT_SECONDS
    pool = getattr(connection, "pool", None)  # None unless DATABASE_POOL
    if pool is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return
    pool.open()  # no-op once open; Django opens it on the first request otherwise
    with pool.connection(timeout=timeout) as conn:
        conn.execute("SELECT 1")


def _check_redis() -> None:
    client = redis.Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT_SECONDS,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    finally:
        client.close()


def _check_broker() -> None:
    timeout = settings.REDIS_CONNECT_TIMEOUT_SECONDS  # the broker is Redis too
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={"socket_connect_timeout": timeout},
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=timeout)


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


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: under /api/ the error envelope (an unknown Host included), else Django's page."""
    if not is_api_path(request.path):
        return defaults.bad_request(request, exception)
    if isinstance(exception, DisallowedHost):
        message = "The Host header names a host this server does not serve."
    else:
        message = "The request is malformed."
    return JsonResponse(error_body("invalid", message), status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: what an exception no view or middleware handled answers.

    Under /api/: 503 `service_unavailable` when a dependency is down (the exception being handled
    is still in sys.exc_info(): Django calls this from its except block), else the 500 envelope.
    Elsewhere Django's own page.
    """
    if not is_api_path(request.path):
        return defaults.server_error(request)
    if is_dependency_down(sys.exc_info()[1]):
        return service_unavailable_response()
    return server_error_response()
