"""WebSocket routes of every app, mounted by movehub.asgi under the JWT middleware."""

from typing import Any

from django.urls import path

from apps.core.consumers import PingConsumer
from apps.tracking.consumers_driver import DriverConsumer

# list[Any]: URLRouter's stub wants its own URLPattern subtype (types-channels only).
websocket_urlpatterns: list[Any] = [
    path("ws/ping/", PingConsumer.as_asgi()),  # type: ignore[arg-type]  # an ASGI app, not a view
    path("ws/driver/", DriverConsumer.as_asgi()),  # type: ignore[arg-type]
]
