"""What tracking's sockets share: the subprotocol, the read-only reply, dispatch without a hop."""

from __future__ import annotations

from typing import Any

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncJsonWebsocketConsumer

READ_ONLY_REPLY = {
    "type": "error",
    "code": "read_only",
    "message": "This socket only sends events.",
}


def accepted_subprotocol(scope: Any) -> str | None:
    """The subprotocol to accept with ("bearer" when the JWT came that way), else None."""
    value = scope.get("accepted_subprotocol")
    return value if isinstance(value, str) else None


class TrackingJsonConsumer(AsyncJsonWebsocketConsumer):
    """A JSON socket whose handlers touch the database only through `database_sync_to_async`
    (which closes stale connections in its own thread, before and after).

    Channels' `AsyncConsumer.dispatch` first awaits `aclose_old_connections()`: a hop to the
    process's one thread-sensitive worker thread for every frame received and every group event
    delivered, queued behind whatever database work that thread is doing. Under the ingest's
    load that hop was a fifth of the server's CPU and put every watcher's delivery behind the
    database; these sockets dispatch straight to the handler instead.
    """

    async def dispatch(self, message: dict[str, Any]) -> None:
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class ReadOnlyJsonConsumer(TrackingJsonConsumer):
    """A socket that only sends events: anything a client sends gets the `read_only` error."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json(READ_ONLY_REPLY)
