"""Sockets: a browser page from another site is refused; a client that sends no Origin (a
native app, a script: it authenticates by JWT, never by cookie) is let through."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from movehub.asgi import application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _connects(headers: list[tuple[bytes, bytes]]) -> bool:
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
    connected, _ = await communicator.connect()
    await communicator.disconnect()
    return connected


async def test_a_page_of_another_site_is_refused():
    assert await _connects([(b"origin", b"https://evil.example")]) is False


async def test_a_page_of_this_site_connects():
    assert await _connects([(b"origin", b"http://localhost")]) is True


async def test_a_client_without_origin_connects():
    assert await _connects([]) is True
