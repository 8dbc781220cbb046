"""A WebSocket liveness consumer that answers through the channel layer, proving it end to end."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/ping/`: a `{"type": "ping", "nonce"}` comes back as `{"type": "pong", "nonce"}`.

    The pong is not echoed directly: it is sent to the connection's own group and delivered back
    by the channel layer, so a pong proves the Redis channel layer works for this process.
    """

    async def connect(self) -> None:
        self.group_name = f"ping.{self.channel_name.replace('!', '_')}"
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "ping":
            await self.send_json({"type": "error", "code": "invalid", "message": "Send a ping."})
            return
        nonce = str(content.get("nonce", ""))[:64]
        await self.channel_layer.group_send(self.group_name, {"type": "ping.pong", "nonce": nonce})

    async def ping_pong(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "pong", "nonce": event["nonce"]})
