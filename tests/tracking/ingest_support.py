"""Helpers of the driver-ingest tests: sockets with a JWT, positions, waiting on conditions."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from apps.tracking.models import Position
from movehub.asgi import application

ORIGIN = [(b"origin", b"http://localhost")]


def token_for(user: Any) -> str:
    return str(AccessToken.for_user(user))


def driver_socket(token: str | None = None, *, subprotocol: bool = False) -> WebsocketCommunicator:
    """A communicator on /ws/driver/ through the whole ASGI app (JWT middleware, router)."""
    if token is not None and subprotocol:
        return WebsocketCommunicator(
            application, "/ws/driver/", headers=ORIGIN, subprotocols=["bearer", token]
        )
    path = "/ws/driver/" if token is None else f"/ws/driver/?token={token}"
    return WebsocketCommunicator(application, path, headers=ORIGIN)


async def connected_driver(user: Any) -> WebsocketCommunicator:
    communicator = driver_socket(token_for(user))
    connected, _ = await communicator.connect()
    assert connected
    return communicator


def position(at: datetime, *, lat: float = 48.85, lng: float = 2.35, **extra: Any) -> dict:
    return {"type": "position", "lat": lat, "lng": lng, "recorded_at": at.isoformat(), **extra}


def item(at: datetime, *, lat: float = 48.85, lng: float = 2.35, **extra: Any) -> dict:
    return {"lat": lat, "lng": lng, "recorded_at": at.isoformat(), **extra}


async def receive(communicator: WebsocketCommunicator) -> dict:
    return await communicator.receive_json_from(timeout=5)


@database_sync_to_async
def stored() -> list[dict[str, Any]]:
    """Every stored position: (driver, truck, booking, lat, lng, recorded_at), by id."""
    return [
        {
            "driver": row.driver_id,
            "truck": row.truck_id,
            "booking": row.booking_id,
            "lat": row.point.y,
            "lng": row.point.x,
            "recorded_at": row.recorded_at,
        }
        for row in Position.objects.order_by("id")
    ]


async def wait_for_rows(count: int, *, deadline_seconds: float = 10.0) -> list[dict[str, Any]]:
    """The stored rows once there are `count` of them; fails at the deadline."""
    deadline = time.monotonic() + deadline_seconds
    while True:
        rows = await stored()
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        await asyncio.sleep(0.05)  # polling interval; the deadline decides
