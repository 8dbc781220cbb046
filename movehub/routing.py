"""WebSocket routes of every app, mounted by movehub.asgi under the JWT middleware."""

from django.urls import path

from apps.core.consumers import PingConsumer

websocket_urlpatterns = [
    path("ws/ping/", PingConsumer.as_asgi()),
]
