"""A WebSocket round trip through a real consumer and the real Redis channel layer."""

from __future__ import annotations

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from channels_redis.pubsub import RedisPubSubChannelLayer

from movehub.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def test_ping_comes_back_as_pong_through_the_redis_channel_layer():
    assert isinstance(get_channel_layer(), RedisPubSubChannelLayer)  # the configured default
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "ping", "nonce": "n-42"})
    assert await communicator.receive_json_from(timeout=5) == {"type": "pong", "nonce": "n-42"}
    await communicator.disconnect()


async def test_malformed_message_gets_an_error_frame():
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", b"http://localhost")]
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "hello"})
    reply = await communicator.receive_json_from(timeout=5)
    assert reply["type"] == "error"
    assert reply["code"] == "invalid"
    await communicator.disconnect()


async def test_foreign_origin_is_refused_at_the_handshake():
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
