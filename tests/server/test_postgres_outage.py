"""PostgreSQL down: API calls answer 503 `service_unavailable` fast, and /ready/ says so fast.

The server runs against a throwaway cluster of our own (pg_ctl, free port) that the test stops;
the shared database is never touched.
"""

from __future__ import annotations

import time

import pytest

from tests.server.conftest import assert_envelope
from tests.server.services import ThrowawayPostgres

# Behavioural bounds, not speed claims: the default pool wait is 2 s, the /ready/ check 0.5 s.
API_ANSWER_SECONDS = 5.0
READY_ANSWER_SECONDS = 3.0


@pytest.fixture
def throwaway_postgres():
    cluster = ThrowawayPostgres().start()
    yield cluster
    cluster.remove()


def timed(call, *, bound: float):
    started = time.monotonic()
    response = call()
    elapsed = time.monotonic() - started
    assert elapsed < bound, f"answered in {elapsed:.1f} s"
    return response


def test_with_postgres_down_api_calls_answer_503_and_ready_answers_fast(
    asgi_server_factory, throwaway_postgres
):
    server = asgi_server_factory(DATABASE_URL=throwaway_postgres.url)
    with server.client() as client:
        assert client.get("/ready/").json()["database"] == "ok"

        throwaway_postgres.stop()

        responses = [
            timed(lambda: client.get("/api/v1/companies/"), bound=API_ANSWER_SECONDS),
            timed(
                lambda: client.post("/api/v1/auth/otp/request/", json={"phone": "+33612345678"}),
                bound=API_ANSWER_SECONDS,
            ),
            timed(
                lambda: client.post(
                    "/api/v1/auth/token/", json={"email": "a@example.com", "password": "x"}
                ),
                bound=API_ANSWER_SECONDS,
            ),
        ]
        ready = timed(lambda: client.get("/ready/"), bound=READY_ANSWER_SECONDS)

    for response in responses:
        error = assert_envelope(response, status=503, code="service_unavailable")
        assert error["details"] == {}
        assert response.headers["retry-after"] == "5"
    assert ready.status_code == 503
    assert ready.json() == {"database": "error: PoolTimeout", "redis": "ok", "broker": "ok"}
