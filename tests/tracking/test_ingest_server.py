"""The driver socket through the real ASGI server: a graceful stop loses nothing received."""

from __future__ import annotations

import json
import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from websockets.sync.client import connect

from apps.tracking.models import Position
from tests.bookings.lifecycle_support import booking_in
from tests.tracking.ingest_support import item, position, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_graceful_stop_flushes_the_queue_and_every_acked_position_is_stored(
    alice, asgi_server_factory
):
    # Given a server that flushes only by size (3 rows) or on stop, and a driver on duty
    server = asgi_server_factory(TRACKING_FLUSH_SECONDS="3600", TRACKING_FLUSH_MAX_ROWS="3")
    booking_in("scheduled", company=alice, start=timezone.now() - timedelta(hours=1))
    url = f"ws://{server.host}:{server.port}/ws/driver/?token={token_for(alice.driver_user)}"
    now = timezone.now()
    with connect(url, additional_headers={"Origin": server.url}, open_timeout=10) as socket:
        backlog = [item(now - timedelta(seconds=5)), item(now), item(now)]  # one duplicate
        socket.send(json.dumps({"type": "positions", "items": backlog}))
        assert json.loads(socket.recv(timeout=10)) == {"type": "ack", "last": now.isoformat()}
        socket.send(json.dumps(position(now + timedelta(seconds=5))))
        # A socket's messages are handled in order: the error to this one proves the fix is queued
        socket.send("{not json")
        assert json.loads(socket.recv(timeout=10))["message"] == "Malformed JSON."
        assert Position.objects.count() == 2  # the last fix waits in the queue

        # When the server is stopped gracefully while the last fix waits in the queue
        server.process.send_signal(signal.SIGTERM)
        returncode = server.process.wait(timeout=15)

    # Then it stored everything it had received (the last fix only a flush on stop can have
    # written), and exited by uvicorn's graceful path, which re-raises the signal at the end
    assert returncode == -signal.SIGTERM
    assert list(Position.objects.order_by("recorded_at").values_list("recorded_at", flat=True)) == [
        now - timedelta(seconds=5),
        now,
        now + timedelta(seconds=5),
    ]
