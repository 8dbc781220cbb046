"""`Idempotency-Key` for POSTs that create money-bearing things: `@idempotent` on the handler.

The semantics of the IETF Idempotency-Key draft (draft-ietf-httpapi-idempotency-key-header):

- A request with a key runs once. Its answer (status and JSON body) is stored with the key and
  replayed, byte for byte, to every retry with the same key and the same request (method, path
  and body) for IDEMPOTENCY_KEY_TTL_HOURS (24 h). A replay carries `Idempotent-Replayed: true`.
- The same key with another request: 422 `idempotency_key_reused`.
- A retry while the first request still runs: 409 `request_in_progress` (retry later).
- Keys are scoped to the caller (user id): two users' equal keys never meet. A key is 1 to
  255 characters (the draft's sf-string; surrounding double quotes are dropped); an empty or
  longer one is a 400 `invalid` naming the `Idempotency-Key` header. Without the header the
  view runs as usual. Only signed-in callers have a scope, so the views using this require one.
- Stored: every answer the view gives, 2xx and 4xx alike (a 409 `quote_expired` is the answer
  to that request and stays so). Not stored: 5xx (nothing was done; a retry runs again) and
  the refusals of this mechanism itself (400 bad key, 409 in progress, 422 reused).

How, in PostgreSQL (no second store to keep consistent with the work):
the wrapped handler runs inside one transaction that first takes a transaction-scoped advisory
lock on (user, key) with pg_try_advisory_xact_lock. Not granted: another request with that key
is running (409). Granted: a stored answer is replayed (or 422); otherwise the handler runs in
a savepoint and its answer is INSERTed in the same transaction, so the work and its answer
commit together. A crash rolls both back and frees the lock: there is no stale "in progress"
row to expire. (The lock key is a 32-bit hash of (user, key); a collision between two live
requests can only cause a spurious 409, never a wrong replay: the row is looked up exactly.)
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.errors import IdempotencyKeyReused, Invalid, RequestInProgress
from apps.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# The first of the two int4 keys of pg_try_advisory_xact_lock(int, int): this mechanism's own
# space of advisory locks ("idem" in ASCII), apart from any other user of advisory locks.
_LOCK_CLASS_ID = 0x6964656D

Handler = TypeVar("Handler", bound=Callable[..., Any])


def idempotency_ttl() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_KEY_TTL_HOURS)


def idempotency_key_from(request: Request) -> str | None:
    """The request's Idempotency-Key, None without the header; Invalid (400) if unusable."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    key = raw.strip()
    if len(key) >= 2 and key[0] == key[-1] == '"':  # the draft's sf-string form
        key = key[1:-1]
    if not key:
        raise Invalid(details={HEADER: ["Must not be empty."]})
    if len(key) > MAX_KEY_LENGTH:
        raise Invalid(details={HEADER: [f"At most {MAX_KEY_LENGTH} characters."]})
    return key


def request_fingerprint(request: Request) -> str:
    """sha256 of the method, the path and the body (as parsed JSON, keys sorted: a retry that
    re-serialises the same body differently is still the same request)."""
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    text = f"{request.method}\n{request.path}\n{body}"
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def _lock_object_id(*, user_id: int, key: str) -> int:
    digest = hashlib.blake2b(f"{user_id}:{key}".encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def idempotency_lock_try(*, user_id: int, key: str) -> bool:
    """Take the (user, key) advisory lock until the current transaction ends; False if taken."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_try_advisory_xact_lock(%s, %s)",
            [_LOCK_CLASS_ID, _lock_object_id(user_id=user_id, key=key)],
        )
        return bool(cursor.fetchone()[0])


def idempotency_record_find(
    *, user_id: int, key: str, now: datetime | None = None
) -> IdempotencyRecord | None:
    """The live record of (user, key); an expired one is deleted first (under the lock)."""
    now = now or timezone.now()
    records = IdempotencyRecord.objects.filter(user_id=user_id, key=key)
    records.filter(created_at__lte=now - idempotency_ttl()).delete()
    return records.first()


def idempotency_records_prune(*, now: datetime | None = None) -> int:
    """Delete every record older than the TTL (the beat task's service); how many went."""
    now = now or timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lte=now - idempotency_ttl()).delete()
    return deleted


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        record.response_body, status=record.response_status, content_type="application/json"
    )
    response[REPLAYED_HEADER] = "true"
    return response


def idempotent(handler: Handler) -> Handler:
    """Make an APIView handler (`def post(self, request, ...)`) honour `Idempotency-Key`.

    The handler must answer with a DRF Response of JSON data (or raise); see the module
    docstring for what is stored and replayed.
    """

    @functools.wraps(handler)
    def wrapped(view: APIView, request: Request, *args: Any, **kwargs: Any) -> Any:
        key = idempotency_key_from(request)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        user_id = request.user.pk
        fingerprint = request_fingerprint(request)
        with transaction.atomic():
            if not idempotency_lock_try(user_id=user_id, key=key):
                raise RequestInProgress()
            record = idempotency_record_find(user_id=user_id, key=key)
            if record is not None:
                if record.request_fingerprint != fingerprint:
                    raise IdempotencyKeyReused()
                return _replay(record)
            try:
                with transaction.atomic():  # a refusal rolls back the work, not the lock
                    response = handler(view, request, *args, **kwargs)
            except Exception as exc:
                # The envelope the API would send; an unexpected error propagates (500) and
                # rolls everything back, so nothing is stored and a retry runs again.
                response = view.handle_exception(exc)
            if not isinstance(response, Response):
                raise TypeError("@idempotent handlers answer with a DRF Response.")
            if response.status_code < 500:
                IdempotencyRecord.objects.create(
                    user_id=user_id,
                    key=key,
                    request_fingerprint=fingerprint,
                    response_status=response.status_code,
                    response_body=JSONRenderer().render(response.data).decode(),
                )
            return response

    return wrapped  # type: ignore[return-value]  # same signature as `handler`
