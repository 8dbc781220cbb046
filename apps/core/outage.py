"""What a request answers when PostgreSQL or Redis is down: 503 `service_unavailable`, fast.

`DEPENDENCY_DOWN_ERRORS` are the exceptions that mean "a dependency did not answer" (as opposed
to a bug): the database connection or pool wait failed, or Redis refused or timed out. Views do
not catch them; `ApiExceptionMiddleware` and the project's handler500 (`apps.core.views`) turn
them into the 503 envelope under /api/.
"""

from __future__ import annotations

import psycopg
import redis.exceptions
from django.db import InterfaceError as DjangoInterfaceError
from django.db import OperationalError as DjangoOperationalError
from django.http import JsonResponse

# What Redis (the cache, the channel layer) raises when it is down or too slow (timeouts from
# REDIS_*_TIMEOUT_SECONDS).
REDIS_DOWN_ERRORS: tuple[type[Exception], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

DEPENDENCY_DOWN_ERRORS: tuple[type[BaseException], ...] = (
    DjangoOperationalError,
    DjangoInterfaceError,
    psycopg.OperationalError,  # psycopg_pool.PoolTimeout included
    *REDIS_DOWN_ERRORS,
)


def is_dependency_down(exc: BaseException | None) -> bool:
    return isinstance(exc, DEPENDENCY_DOWN_ERRORS)


def service_unavailable_response(message: str | None = None) -> JsonResponse:
    """The 503 envelope, with a Retry-After a client may honour."""
    # Imported here: apps.core.throttling imports this module, and DRF imports that one while
    # apps.core.errors imports DRF's views.
    from apps.core.errors import ServiceUnavailable, error_body

    error = ServiceUnavailable(message)
    response = JsonResponse(error_body(error.code, error.message), status=error.status_code)
    response["Retry-After"] = str(ServiceUnavailable.retry_after_seconds)
    return response
