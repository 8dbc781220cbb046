"""What tracking's sockets share: the subprotocol to accept with and the read-only reply."""

from __future__ import annotations

from typing import Any

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


class ReadOnlyJsonConsumer(AsyncJsonWebsocketConsumer):
    """A socket that only sends events: anything a client sends gets the `read_only` error."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json(READ_ONLY_REPLY)
