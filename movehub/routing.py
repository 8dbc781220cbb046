"""WebSocket routes of every app, mounted by movehub.asgi under the JWT middleware."""

from typing import Any

from django.urls import path

from apps.core.consumers import PingConsumer
from apps.tracking.consumers_driver import DriverConsumer
from apps.tracking.consumers_share import ShareConsumer
from apps.tracking.consumers_watch import BookingWatchConsumer, FleetConsumer

# list[Any]: URLRouter's stub wants its own URLPattern subtype (types-channels only).
websocket_urlpatterns: list[Any] = [
    path("ws/ping/", PingConsumer.as_asgi()),  # type: ignore[arg-type]  # an ASGI app, not a view
    path("ws/bookings/<int:booking_id>/", BookingWatchConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/companies/<int:company_id>/fleet/", FleetConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/share/<str:token>/", ShareConsumer.as_asgi()),  # type: ignore[arg-type]
    path("ws/driver/", DriverConsumer.as_asgi()),  # type: ignore[arg-type]
]
