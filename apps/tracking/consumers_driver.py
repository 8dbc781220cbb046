"""`/ws/driver/`: a driver's app sends positions; acked once stored (apps.tracking.ingest)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from apps.tracking.driver_selectors import driver_get_active
from apps.tracking.ingest import (
    MessageInvalid,
    Position,
    TokenBucket,
    message_parse,
    position_writer,
)
from apps.tracking.services import Fix, StoreResult
from apps.tracking.sockets import TrackingJsonConsumer, accepted_subprotocol


class DriverConsumer(TrackingJsonConsumer):
    """Refused at the handshake (403) unless the user is an active driver. Each message is
    validated, rate limited (a token bucket per connection), queued to the process's batch
    writer, and acked `{"type": "ack", "last"}` after the flush that stored it. Errors are
    `{"type": "error", "code", "message", "details"?}` frames; the socket stays open."""

    async def connect(self) -> None:
        user = self.scope.get("user") or AnonymousUser()
        driver = await database_sync_to_async(driver_get_active)(user=user)  # type: ignore[arg-type]  # Channels' lazy user is a User here
        if driver is None:
            await self.close()  # before accept: the handshake is refused (403)
            return
        self.driver_id = driver.pk
        self.bucket = TokenBucket(
            rate=settings.TRACKING_DRIVER_MESSAGES_PER_SECOND,
            burst=settings.TRACKING_DRIVER_MESSAGES_BURST,
        )
        self.ack_tasks: set[asyncio.Task[None]] = set()
        self.is_open = True
        await self.accept(subprotocol=accepted_subprotocol(self.scope))

    async def disconnect(self, code: int) -> None:
        """Flush what this socket queued before the connection goes (also on a graceful server
        stop, which closes every socket): nothing received is left unwritten."""
        if not getattr(self, "is_open", False):
            return
        self.is_open = False
        if self.ack_tasks:
            await position_writer().flush()
            await asyncio.gather(*self.ack_tasks, return_exceptions=True)

    async def receive(  # type: ignore[override]  # same call, the stub names it differently
        self, text_data: str | None = None, bytes_data: bytes | None = None
    ) -> None:
        if not self.bucket.take():
            await self._error("throttled", "Too many messages: slow down and resend.")
            return
        try:
            content = json.loads(text_data if text_data is not None else bytes_data or b"")
        except (ValueError, UnicodeDecodeError):
            await self._error("invalid", "Malformed JSON.")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            positions, bad_items = message_parse(content, now=timezone.now())
        except MessageInvalid as exc:
            await self._error("invalid", exc.message, exc.details)
            return
        if bad_items:
            await self._error("invalid", "Some items are invalid; the others are kept.", bad_items)
        if not positions:
            return
        fixes = [
            Fix(
                driver_id=self.driver_id,
                lat=position.lat,
                lng=position.lng,
                recorded_at=position.recorded_at,
                heading=position.heading,
                speed=position.speed,
                accuracy=position.accuracy,
            )
            for position in positions
        ]
        future = position_writer().submit(fixes)
        task = asyncio.get_running_loop().create_task(self._ack_when_stored(future, positions))
        self.ack_tasks.add(task)
        task.add_done_callback(self.ack_tasks.discard)

    async def _ack_when_stored(self, future: asyncio.Future, positions: list[Position]) -> None:
        try:
            result: StoreResult = await future
        except Exception:
            await self._error("service_unavailable", "Not stored: resend these positions later.")
            return
        stored = [p for p in positions if (self.driver_id, p.recorded_at) not in result.no_truck]
        if len(stored) < len(positions):
            await self._error(
                "no_truck",
                "No truck is allocated to you: positions without a truck are not stored.",
                {"count": len(positions) - len(stored)},
            )
        if stored:
            latest = max(stored, key=lambda position: position.recorded_at)
            await self._send({"type": "ack", "last": latest.recorded_at_text})

    async def _error(self, code: str, message: str, details: Any = None) -> None:
        frame: dict[str, Any] = {"type": "error", "code": code, "message": message}
        if details:
            frame["details"] = details
        await self._send(frame)

    async def _send(self, frame: dict[str, Any]) -> None:
        if self.is_open:
            await self.send_json(frame)
