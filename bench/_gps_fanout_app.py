"""The fan-out benchmark's bare broadcast server: no auth, no database, one group per path.

`/ws/watch/<group>/` joins the group before accepting and relays every broadcast as text;
`/ws/send/<group>/` broadcasts each text frame it receives to that group, unchanged.
With GPS_FANOUT_DISPATCH=direct the consumers skip Channels' per-message
`aclose_old_connections()` hop to the sync thread, as the project's tracking sockets do
(apps/tracking/sockets.py); the default is Channels' stock dispatch.
"""

from __future__ import annotations

import gc
import os

import django
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

django.setup()


class DirectDispatchConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message: dict) -> None:
        await getattr(self, get_handler_name(message))(message)


Base = (
    DirectDispatchConsumer
    if os.environ.get("GPS_FANOUT_DISPATCH") == "direct"
    else AsyncWebsocketConsumer
)


class WatchConsumer(Base):
    async def connect(self) -> None:
        self.group = "fanout." + self.scope["url_route"]["kwargs"]["group"]
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def fanout_broadcast(self, event: dict) -> None:
        await self.send(text_data=event["text"])


class SendConsumer(Base):
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
