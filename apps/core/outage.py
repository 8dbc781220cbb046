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

from apps.core.errors import ServiceUnavailable, error_body

DEPENDENCY_DOWN_ERRORS: tuple[type[BaseException], ...] = (
    DjangoOperationalError,
    DjangoInterfaceError,
    psycopg.OperationalError,  # psycopg_pool.PoolTimeout included
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


def is_dependency_down(exc: BaseException | None) -> bool:
    return isinstance(exc, DEPENDENCY_DOWN_ERRORS)


def service_unavailable_response(message: str | None = None) -> JsonResponse:
    """The 503 envelope, with a Retry-After a client may honour."""
    error = ServiceUnavailable(message)
    response = JsonResponse(error_body(error.code, error.message), status=error.status_code)
    response["Retry-After"] = str(ServiceUnavailable.retry_after_seconds)
    return response
