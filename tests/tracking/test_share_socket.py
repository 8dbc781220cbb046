"""The share link socket: a valid link of a job in progress only; revocation and expiry close it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from apps.bookings.models import Booking
from apps.tracking.consumers_share import CLOSE_JOB_ENDED, CLOSE_LINK_GONE
from apps.tracking.models import ShareLink
from apps.tracking.share import share_link_create, token_sha256
from tests.bookings.lifecycle_support import booking_in
from tests.conftest import auth_client_for
from tests.tracking.watch_support import closed_with, frames, inject, message, position, refused
from tests.tracking.watch_support import socket as ws

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

Status = Booking.Status


@pytest.fixture
def job(alice) -> Booking:
    return booking_in(Status.IN_PROGRESS, company=alice)


@pytest.fixture
def token(job) -> str:
    return share_link_create(booking=job, actor=job.customer).token


def share_path(token: str) -> str:
    return f"/ws/share/{token}/"


async def test_a_valid_link_streams_positions_and_status_but_not_the_chat(job, token):
    communicator = ws(share_path(token))
    connected, _ = await communicator.connect(timeout=5)
    assert connected
    arriving = {"type": "status", "status": "in_progress", "kind": "arriving", "stop": "origin"}
    for event in (position(1, eta_minutes=12), message("private"), arriving, position(2)):
        await inject(job.pk, event)
    assert await frames(communicator, 3) == [position(1, eta_minutes=12), arriving, position(2)]
    assert await communicator.receive_nothing()
    await communicator.disconnect()


async def test_an_unknown_token_is_refused(token):
    assert await refused(ws(share_path("x" * 43)))


@pytest.fixture
def expired(token) -> str:
    ShareLink.objects.update(
        created_at=timezone.now() - timedelta(hours=2),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    return token


async def test_an_expired_link_is_refused(expired):
    assert await refused(ws(share_path(expired)))


@pytest.fixture
def revoked(token) -> str:
    ShareLink.objects.update(revoked_at=timezone.now())
    return token


async def test_a_revoked_link_is_refused(revoked):
    assert await refused(ws(share_path(revoked)))


@pytest.fixture
def planned_token(alice) -> str:
    planned = booking_in(Status.SCHEDULED, company=alice)
    return share_link_create(booking=planned, actor=planned.customer).token


async def test_a_link_before_the_job_starts_is_refused(planned_token):
    assert await refused(ws(share_path(planned_token)))


async def test_revocation_closes_an_open_socket_at_once(job, token):
    communicator = ws(share_path(token))
    assert (await communicator.connect(timeout=5))[0]
    # when the customer revokes the link over REST
    client = await sync_to_async(auth_client_for)(job.customer)
    url = f"/api/v1/bookings/{job.pk}/share-links/{token}/"
    response = await sync_to_async(client.delete)(url)
    assert response.status_code == 204
    # then the open socket is closed as gone
    assert await closed_with(communicator) == CLOSE_LINK_GONE
    assert await sync_to_async(ShareLink.objects.filter(revoked_at__isnull=False).count)() == 1


@pytest.fixture
def short_lived(job) -> str:
    token = "short-lived-token"
    ShareLink.objects.create(
        booking=job,
        token_sha256=token_sha256(token),
        created_by=job.customer,
        expires_at=timezone.now() + timedelta(seconds=1),
    )
    return token


async def test_expiry_closes_an_open_socket(short_lived):
    communicator = ws(share_path(short_lived))
    assert (await communicator.connect(timeout=5))[0]
    assert await closed_with(communicator) == CLOSE_LINK_GONE


async def test_the_end_of_the_job_is_sent_then_the_socket_closes(job, token):
    communicator = ws(share_path(token))
    assert (await communicator.connect(timeout=5))[0]
    completed = {"type": "status", "status": "completed", "kind": "completed"}
    await inject(job.pk, completed)
    assert await frames(communicator, 1) == [completed]
    assert await closed_with(communicator) == CLOSE_JOB_ENDED
