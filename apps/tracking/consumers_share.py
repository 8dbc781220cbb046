"""The public share-link socket: one booking's truck while the job is in progress."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.db import database_sync_to_async
from django.utils import timezone

from apps.bookings.models import Booking
from apps.tracking.groups import booking_group_name
from apps.tracking.models import ShareLink
from apps.tracking.share import share_group_name, share_link_get_valid
from apps.tracking.sockets import ReadOnlyJsonConsumer

IN_PROGRESS = Booking.Status.IN_PROGRESS
CLOSE_LINK_GONE = 4410  # revoked or expired while open
CLOSE_JOB_ENDED = 4409  # the booking left in_progress
FORWARDED_TYPES = ("position", "status")


@database_sync_to_async
def _valid_link(token: str) -> ShareLink | None:
    return share_link_get_valid(token=token)


class ShareConsumer(ReadOnlyJsonConsumer):
    """`/ws/share/<token>/`: no login; the token is the credential.

    Accepted only for a valid (unexpired, unrevoked) link whose booking is in progress, else
    refused at the handshake (403). Forwards only that booking's `position` and `status` events
    (never the chat). Closes with 4409 when the job leaves in_progress (after sending that status
    event), with 4410 when the link is revoked or expires.
    """

    async def connect(self) -> None:
        self.groups_joined: list[str] = []
        self.expiry_task: asyncio.Task[None] | None = None
        link = await _valid_link(self.scope["url_route"]["kwargs"]["token"])
        if link is None or link.booking.status != IN_PROGRESS:
            await self.close()
            return
        for group in (booking_group_name(link.booking_id), share_group_name(link.pk)):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        seconds_left = (link.expires_at - timezone.now()).total_seconds()
        self.expiry_task = asyncio.create_task(self._close_at_expiry(max(seconds_left, 0)))

    async def disconnect(self, code: int) -> None:
        if self.expiry_task is not None:
            self.expiry_task.cancel()
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def booking_event(self, message: dict[str, Any]) -> None:
        event = message.get("event") or {}
        if event.get("type") not in FORWARDED_TYPES:
            return
        await self.send_json(event)
        if event["type"] == "status" and event.get("status") != IN_PROGRESS:
            await self.close(code=CLOSE_JOB_ENDED)

    async def share_revoked(self, message: dict[str, Any]) -> None:
        await self.close(code=CLOSE_LINK_GONE)

    async def _close_at_expiry(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.close(code=CLOSE_LINK_GONE)
