"""Helpers of the watching tests: sockets with a user's JWT, events injected into the layer."""

from __future__ import annotations

from typing import Any

from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from apps.tracking.groups import BOOKING_EVENT, booking_group_name
from movehub.asgi import application

ORIGIN = [(b"origin", b"http://localhost")]
RECEIVE_TIMEOUT = 5


def jwt_for(user: Any) -> str:
    return str(AccessToken.for_user(user))


def socket(path: str, user: Any = None, *, as_subprotocol: bool = False) -> WebsocketCommunicator:
    """A communicator on the real application (JWT middleware, origin check, routing)."""
    if user is None:
        return WebsocketCommunicator(application, path, headers=ORIGIN)
    token = jwt_for(user)
    if as_subprotocol:
        return WebsocketCommunicator(
            application, path, headers=ORIGIN, subprotocols=["bearer", token]
        )
    return WebsocketCommunicator(application, f"{path}?token={token}", headers=ORIGIN)


async def inject(booking_id: int, event: dict[str, Any]) -> None:
    """Send `event` to the booking's group as the ingest and bookings do."""
    await get_channel_layer().group_send(
        booking_group_name(booking_id), {"type": BOOKING_EVENT, "event": event}
    )


def position(index: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": "position",
        "lat": 45.75 + index / 1000,
        "lng": 4.85,
        "recorded_at": f"2026-05-04T10:00:{index:02d}+00:00",
        **extra,
    }


def message(body: str) -> dict[str, Any]:
    return {
        "type": "message",
        "id": 1,
        "author": 1,
        "author_role": "staff",
        "body": body,
        "created_at": "2026-05-04T10:00:00+00:00",
    }


async def frames(communicator: WebsocketCommunicator, count: int) -> list[dict[str, Any]]:
    return [await communicator.receive_json_from(timeout=RECEIVE_TIMEOUT) for _ in range(count)]


async def closed_with(communicator: WebsocketCommunicator) -> int | None:
    """The close code of the next output (waits for it, up to the deadline)."""
    output = await communicator.receive_output(timeout=RECEIVE_TIMEOUT)
    assert output["type"] == "websocket.close", output
    return output.get("code")


async def refused(communicator: WebsocketCommunicator) -> bool:
    connected, _ = await communicator.connect(timeout=RECEIVE_TIMEOUT)
    if connected:
        await communicator.disconnect()
    return not connected
