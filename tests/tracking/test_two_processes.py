"""Two real ASGI server processes on one Redis channel layer: the driver on one, watchers on the
other; every position reaches every watcher once, in order."""

from __future__ import annotations

import json
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from websockets.sync.client import ClientConnection, connect

from apps.bookings.models import Booking
from apps.tracking.models import Position
from tests.bookings.lifecycle_support import booking_in
from tests.tracking.ingest_support import position, token_for

pytestmark = pytest.mark.django_db(transaction=True)

POSITIONS = 20
DEADLINE_SECONDS = 20.0
# Far (> 4 km) from the factories' origin and destination: no `arriving` status in the stream.
FAR_LAT, FAR_LNG = 45.80, 4.80


def _socket(server: Any, path: str, user: Any) -> ClientConnection:
    url = f"ws://{server.host}:{server.port}{path}?token={token_for(user)}"
    return connect(url, additional_headers={"Origin": server.url}, open_timeout=10)


def _frames_until(socket: ClientConnection, done: Any) -> list[dict[str, Any]]:
    """Frames read until `done(frames)` holds; fails at the deadline (no fixed waits)."""
    frames: list[dict[str, Any]] = []
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not done(frames):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"deadline passed with {len(frames)} frames: {frames[-3:]}"
        frames.append(json.loads(socket.recv(timeout=remaining)))
    return frames


def test_positions_sent_to_one_process_reach_watchers_on_another_once_and_in_order(
    alice, asgi_server_factory
):
    # Given two server processes sharing the database and the channel layer (one run id: the
    # same channel-layer prefix), the driver's server flushing by 3 rows (several flushes)
    # and allowing a fast driver, and an in-progress job of alice's truck and driver
    shared = {"MOVEHUB_TEST_RUN_ID": f"two-processes-{uuid.uuid4().hex[:12]}"}
    server_a = asgi_server_factory(
        **shared,
        TRACKING_FLUSH_MAX_ROWS="3",
        TRACKING_DRIVER_MESSAGES_PER_SECOND="1000",
        TRACKING_DRIVER_MESSAGES_BURST="1000",
    )
    server_b = asgi_server_factory(**shared)
    assert server_a.process.pid != server_b.process.pid and server_a.port != server_b.port
    job = booking_in(
        Booking.Status.IN_PROGRESS, company=alice, start=timezone.now() - timedelta(hours=1)
    )
    start = timezone.now()  # positions count for the job from its start (booking_in: now)
    sent = [
        position(start + timedelta(seconds=i), lat=round(FAR_LAT + i / 10_000, 6), lng=FAR_LNG)
        for i in range(POSITIONS)
    ]
    last = sent[-1]["recorded_at"]
    path = f"/ws/bookings/{job.pk}/"
    with (
        _socket(server_b, path, job.customer) as customer,
        _socket(server_b, path, alice.owner) as owner,
        _socket(server_a, "/ws/driver/", alice.driver_user) as driver,
    ):
        # When the driver sends the positions one message each, without waiting in between
        for message in sent:
            driver.send(json.dumps(message))
        acks = _frames_until(driver, lambda frames: frames and frames[-1].get("last") == last)

        # Then every position was acked (no error), and each watcher on the other process gets
        # each position exactly once, in recorded_at order, up to the last one sent
        assert all(frame["type"] == "ack" for frame in acks)
        expected = [(m["recorded_at"], m["lat"], m["lng"]) for m in sent]
        for watcher in (customer, owner):
            frames = _frames_until(
                watcher, lambda frames: frames and frames[-1].get("recorded_at") == last
            )
            assert [frame["type"] for frame in frames] == ["position"] * POSITIONS
            received = [(f["recorded_at"], f["lat"], f["lng"]) for f in frames]
            assert received == expected
    # and the driver's process stored each one once, on the job
    stored = Position.objects.filter(booking=job).order_by("recorded_at")
    assert [p.recorded_at.isoformat() for p in stored] == [m["recorded_at"] for m in sent]
