"""The fan-out benchmark's bare broadcast server: no auth, no database, one group per path.

`/ws/watch/<group>/` joins the group before accepting and relays every broadcast as text;
`/ws/send/<group>/` broadcasts each text frame it receives to that group, unchanged.
"""

from __future__ import annotations

import gc

import django
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

django.setup()


class WatchConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.group = "fanout." + self.scope["url_route"]["kwargs"]["group"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def fanout_broadcast(self, event: dict) -> None:
        await self.send(text_data=event["text"])


class SendConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.group = "fanout." + self.scope["url_route"]["kwargs"]["group"]
        await self.accept()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.channel_layer.group_send(
            self.group, {"type": "fanout.broadcast", "text": text_data or ""}
        )


application = ProtocolTypeRouter(
    {
        "websocket": URLRouter(
            [
                path("ws/watch/<slug:group>/", WatchConsumer.as_asgi()),
                path("ws/send/<slug:group>/", SendConsumer.as_asgi()),
            ]
        )
    }
)

# As movehub/asgi.py does for the project's server (ASGI_GC_THRESHOLDS' default): a ceiling
# stalled by full collections would flatter the server it is compared with.
gc.freeze()
gc.set_threshold(50_000, 20, 100)
