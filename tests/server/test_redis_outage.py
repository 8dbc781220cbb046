"""Redis down: reads and token refresh keep working, abuse-prone writes answer 503, WebSockets are
closed with 1013, /ready/ says so; everything recovers when Redis is back, without a restart.

Our own redis-server on a free port, killed and restarted by the test; never the shared one.
"""

from __future__ import annotations

import time

import pytest
from rest_framework_simplejwt.tokens import RefreshToken
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from apps.companies.models import Company, Membership
from apps.core.models import OutboxMessage
from tests.server.conftest import assert_envelope, bearer
from tests.server.services import ThrowawayRedis

pytestmark = pytest.mark.django_db(transaction=True)

# Behavioural bound, not a speed claim: an outage must not hang a request.
OUTAGE_ANSWER_SECONDS = 3.0


@pytest.fixture
def throwaway_redis():
    server = ThrowawayRedis().start()
    yield server
    server.stop()


@pytest.fixture
def server(asgi_server_factory, throwaway_redis):
    return asgi_server_factory(REDIS_URL=throwaway_redis.url)


def timed(call):
    started = time.monotonic()
    response = call()
    elapsed = time.monotonic() - started
    assert elapsed < OUTAGE_ANSWER_SECONDS, f"answered in {elapsed:.1f} s"
    return response


def ws_first_event(server, path: str) -> dict:
    """Connect, send a ping; the pong, or the close code and reason."""
    url = f"ws://127.0.0.1:{server.port}{path}"
    with connect(url, origin="http://localhost", open_timeout=5) as websocket:
        try:
            websocket.send('{"type": "ping", "nonce": "n-1"}')
            return {"message": websocket.recv(timeout=5)}
        except ConnectionClosed as closed:
            return {"code": closed.rcvd.code, "reason": closed.rcvd.reason}


def test_with_redis_down_reads_pass_abuse_prone_writes_503_and_all_recover(
    server, throwaway_redis, alice
):
    refresh = str(RefreshToken.for_user(alice.owner))
    companies_before = Company.objects.count()
    members_before = Membership.objects.count()
    company_body = {
        "name": "Outage Movers",
        "legal_name": "Outage Movers SAS",
        "registration_number": "RCS-OUT-1",
        "email": "ops@outage.example",
        "phone": "+33612345678",
        "base_location": {"lat": 48.85, "lng": 2.35},
        "currency": "EUR",
        "timezone": "Europe/Paris",
    }
    with server.client() as client:
        assert client.get("/api/v1/me/", headers=bearer(alice.owner)).status_code == 200

        throwaway_redis.stop()

        me = timed(lambda: client.get("/api/v1/me/", headers=bearer(alice.owner)))
        search = timed(lambda: client.get("/api/v1/companies/", params={"serves": "48.85,2.35"}))
        refreshed = timed(
            lambda: client.post("/api/v1/auth/token/refresh/", json={"refresh": refresh})
        )
        refused = {
            "otp": timed(
                lambda: client.post("/api/v1/auth/otp/request/", json={"phone": "+33612345678"})
            ),
            "otp_verify": timed(
                lambda: client.post(
                    "/api/v1/auth/otp/verify/", json={"phone": "+33612345678", "code": "123456"}
                )
            ),
            "staff_token": timed(
                lambda: client.post(
                    "/api/v1/auth/token/", json={"email": alice.owner.email, "password": "x"}
                )
            ),
            "register_company": timed(
                lambda: client.post(
                    "/api/v1/companies/", json=company_body, headers=bearer(alice.dispatcher)
                )
            ),
            "invite_member": timed(
                lambda: client.post(
                    f"/api/v1/companies/{alice.company.id}/members/",
                    json={"email": "new@example.com", "role": "dispatcher"},
                    headers=bearer(alice.owner),
                )
            ),
            "estimate": timed(lambda: client.post("/api/v1/quotes/estimate/", json={"company": 1})),
        }
        ready = timed(lambda: client.get("/ready/"))
        websocket_down = ws_first_event(server, "/ws/ping/")

        throwaway_redis.start()

        me_after = client.get("/api/v1/me/", headers=bearer(alice.owner))
        otp_after = client.post("/api/v1/auth/otp/request/", json={"phone": "+33612345679"})
        ready_after = client.get("/ready/")
    websocket_up = ws_first_event(server, "/ws/ping/")

    assert me.status_code == 200
    assert me.json()["id"] == alice.owner.id
    assert search.status_code == 200
    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"access", "refresh"}
    for name, response in refused.items():
        error = assert_envelope(response, status=503, code="service_unavailable")
        assert error["message"] == (
            "A service this request needs is unavailable. Try again shortly."
        ), name
        assert response.headers["retry-after"] == "5", name
    assert not OutboxMessage.objects.filter(to="+33612345678").exists()
    assert Company.objects.count() == companies_before
    assert Membership.objects.count() == members_before
    assert ready.status_code == 503
    assert ready.json() == {
        "database": "ok",
        "redis": "error: ConnectionError",
        "broker": ready.json()["broker"],
    }
    assert ready.json()["broker"].startswith("error: ")
    assert websocket_down == {"code": 1013, "reason": "service_unavailable"}

    assert me_after.status_code == 200
    assert otp_after.status_code == 202
    assert OutboxMessage.objects.filter(to="+33612345679").count() == 1
    assert ready_after.status_code == 200
    assert websocket_up == {"message": '{"type": "pong", "nonce": "n-1"}'}
