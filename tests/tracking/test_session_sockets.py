"""Dashboard sockets by session cookie: only with a browser Origin of this site, only for a
session that passed its second factor; a JWT, when given, decides alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.gis.geos import Point
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from apps.tracking.models import TruckLastPosition
from movehub.asgi import application
from tests.accounts.factories import TotpDeviceFactory
from tests.tracking.watch_support import frames, refused

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://localhost")
SEEN = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)


@database_sync_to_async
def session_cookie(user, *, device=None) -> str:
    """A dashboard session of `user` (having passed `device`, when given), as its cookie."""
    client = Client()
    client.force_login(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def fleet_socket(company, *, cookie: str | None, origin=ORIGIN, path_suffix: str = ""):
    headers = [origin] if origin else []
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(
        application, f"/ws/companies/{company.pk}/fleet/{path_suffix}", headers=headers
    )


@pytest.fixture
def positioned(alice):
    return TruckLastPosition.objects.create(
        truck=alice.truck,
        company=alice.company,
        point=Point(4.83, 45.76, srid=4326),
        recorded_at=SEEN,
        last_seen_at=SEEN,
    )


async def test_a_dispatchers_session_opens_the_fleet_socket(alice, positioned):
    communicator = fleet_socket(alice.company, cookie=await session_cookie(alice.dispatcher))

    connected, _ = await communicator.connect(timeout=5)

    assert connected
    snapshot = await frames(communicator, 1)
    assert (snapshot[0]["truck"], snapshot[0]["lat"], snapshot[0]["lng"]) == (
        alice.truck.pk,
        45.76,
        4.83,
    )
    await communicator.disconnect()


async def test_the_cookie_without_an_origin_is_not_used(alice):
    cookie = await session_cookie(alice.dispatcher)

    assert await refused(fleet_socket(alice.company, cookie=cookie, origin=None))


async def test_the_cookie_from_another_sites_page_is_refused(alice):
    cookie = await session_cookie(alice.dispatcher)
    evil = (b"origin", b"https://evil.example")

    assert await refused(fleet_socket(alice.company, cookie=cookie, origin=evil))


async def test_another_companys_session_is_refused(alice, bob):
    assert await refused(fleet_socket(alice.company, cookie=await session_cookie(bob.owner)))


async def test_an_unknown_session_is_refused(alice):
    cookie = f"{settings.SESSION_COOKIE_NAME}=not-a-session"

    assert await refused(fleet_socket(alice.company, cookie=cookie))


async def test_a_bad_token_is_refused_even_with_a_good_cookie(alice):
    cookie = await session_cookie(alice.dispatcher)

    assert await refused(fleet_socket(alice.company, cookie=cookie, path_suffix="?token=bad"))


async def test_a_session_that_skipped_the_authenticator_is_refused(alice):
    device = await database_sync_to_async(TotpDeviceFactory)(user=alice.dispatcher)

    skipped = await session_cookie(alice.dispatcher)
    passed = await session_cookie(alice.dispatcher, device=device)

    assert await refused(fleet_socket(alice.company, cookie=skipped))
    communicator = fleet_socket(alice.company, cookie=passed)
    assert (await communicator.connect(timeout=5))[0]
    await communicator.disconnect()
