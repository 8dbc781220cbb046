"""The driver ingest: message validation, a per-connection token bucket, and the batch writer.

The writer collects validated positions from every driver socket of the process and stores them
with one bulk INSERT per flush (by size, TRACKING_FLUSH_MAX_ROWS, or time,
TRACKING_FLUSH_SECONDS), on its own worker thread: the event loop never waits on the database.
Each submission gets a future the flush resolves as soon as its transaction commits; the socket
acks only then. After a flush the new positions go to their booking's group (with
`progress_of_position` fields, computed for the whole flush on the writer thread) and each
truck's newer last position to its company's fleet group (apps.tracking.groups), every group
concurrently, while the next flush is being stored.
"""

from __future__ import annotations

import asyncio
import math
import time
import weakref
from collections import defaultdict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import structlog
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from apps.tracking.groups import (
    BOOKING_EVENT,
    FLEET_POSITION,
    booking_group_name,
    company_fleet_group_name,
    fleet_position,
)
from apps.tracking.progress import (
    progress_context_load,
    progress_context_save,
    progress_of_position,
    progress_speeds_prefetch,
)
from apps.tracking.services import Fix, StoredPosition, StoreResult, positions_store

logger = structlog.get_logger(__name__)
_T = TypeVar("_T")

MAX_BATCH_ITEMS = 500
FUTURE_TOLERANCE = timedelta(minutes=2)
MAX_AGE = timedelta(hours=24)
MAX_SPEED_MPS = 90.0
MAX_ACCURACY_M = 10_000.0


class MessageInvalid(Exception):
    """A message (or one position of it) is invalid; `details` in DRF's shape."""

    def __init__(self, message: str, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


@dataclass(frozen=True)
class Position:
    """A validated position, with the client's own `recorded_at` text (echoed in the ack)."""

    lat: float
    lng: float
    recorded_at: datetime
    recorded_at_text: str
    heading: float | None = None
    speed: float | None = None
    accuracy: float | None = None


def _number(item: dict[str, Any], name: str, errors: dict[str, list[str]]) -> float | None:
    value = item.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors[name] = ["A number is required."]
        return None
    return float(value)


def _in_range(value: float | None, name: str, ok: bool, text: str, errors: dict) -> None:
    if value is not None and name not in errors and not ok:
        errors[name] = [text]


def position_parse(item: Any, *, now: datetime) -> Position:
    """A validated `Position` from one JSON object, or MessageInvalid with per-field details."""
    if not isinstance(item, dict):
        raise MessageInvalid("A position must be an object.", {"non_field_errors": ["An object."]})
    errors: dict[str, list[str]] = {}
    for required in ("lat", "lng", "recorded_at"):
        if item.get(required) is None:
            errors[required] = ["This field is required."]
    lat = _number(item, "lat", errors)
    lng = _number(item, "lng", errors)
    heading = _number(item, "heading", errors)
    speed = _number(item, "speed", errors)
    accuracy = _number(item, "accuracy", errors)
    _in_range(lat, "lat", lat is not None and -90 <= lat <= 90, "Between -90 and 90.", errors)
    _in_range(lng, "lng", lng is not None and -180 <= lng <= 180, "Between -180 and 180.", errors)
    _in_range(heading, "heading", heading is not None and 0 <= heading < 360, "[0, 360).", errors)
    _in_range(
        speed, "speed", speed is not None and 0 <= speed <= MAX_SPEED_MPS, "In [0, 90] m/s.", errors
    )
    _in_range(
        accuracy,
        "accuracy",
        accuracy is not None and 0 < accuracy <= MAX_ACCURACY_M,
        "In (0, 10000] m.",
        errors,
    )
    recorded_at = None
    raw_time = item.get("recorded_at")
    if raw_time is not None:
        recorded_at = _parse_time(raw_time, now=now, errors=errors)
    if errors:
        raise MessageInvalid("The position is invalid.", errors)
    assert lat is not None and lng is not None and recorded_at is not None
    return Position(
        lat=lat,
        lng=lng,
        recorded_at=recorded_at,
        recorded_at_text=str(raw_time),
        heading=heading,
        speed=speed,
        accuracy=accuracy,
    )


def _parse_time(raw: Any, *, now: datetime, errors: dict[str, list[str]]) -> datetime | None:
    parsed = None
    if isinstance(raw, str) and len(raw) <= 64:
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            parsed = None
    if parsed is None or parsed.tzinfo is None:
        errors["recorded_at"] = ["An ISO 8601 date-time with a UTC offset is required."]
        return None
    if parsed > now + FUTURE_TOLERANCE:
        errors["recorded_at"] = ["More than 2 minutes in the future."]
    elif parsed < now - MAX_AGE:
        errors["recorded_at"] = ["Older than 24 hours."]
    return parsed


def message_parse(content: Any, *, now: datetime) -> tuple[list[Position], dict[str, Any]]:
    """The valid positions of a `position` or `positions` message and the details of the bad
    ones ({} when none); MessageInvalid when the message itself is unusable."""
    if not isinstance(content, dict):
        raise MessageInvalid("A message must be a JSON object.")
    kind = content.get("type")
    if kind == "position":
        return [position_parse(content, now=now)], {}
    if kind != "positions":
        raise MessageInvalid(
            'Unknown message type: send "position" or "positions".',
            {"type": ['Expected "position" or "positions".']},
        )
    items = content.get("items")
    if not isinstance(items, list) or not items:
        raise MessageInvalid("`items` must be a non-empty list.", {"items": ["A non-empty list."]})
    if len(items) > MAX_BATCH_ITEMS:
        raise MessageInvalid(
            f"At most {MAX_BATCH_ITEMS} items per message.",
            {"items": [f"At most {MAX_BATCH_ITEMS} items."]},
        )
    positions: list[Position] = []
    item_errors: list[dict[str, Any]] = []
    for item in items:
        try:
            positions.append(position_parse(item, now=now))
            item_errors.append({})
        except MessageInvalid as exc:
            item_errors.append(exc.details)
    bad = any(item_errors)
    return positions, ({"items": item_errors} if bad else {})


class TokenBucket:
    """`rate` tokens a second up to `burst`; `take()` is False when the bucket is empty."""

    def __init__(self, *, rate: float, burst: float):
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updated = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


@dataclass
class _Submission:
    fixes: list[Fix]
    future: asyncio.Future = field(repr=False)


_writer_executor: ThreadPoolExecutor | None = None


def _in_writer_thread(func: Callable[..., _T]) -> Callable[..., Awaitable[_T]]:
    """`func` run on the process's one tracking writer thread (its own, not the thread that
    serves every other `database_sync_to_async` call: handshakes never queue behind a flush)."""
    global _writer_executor
    if _writer_executor is None:
        _writer_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracking-writer")
    return database_sync_to_async(func, thread_sensitive=False, executor=_writer_executor)


class PositionWriter:
    """Batches fixes of every socket of one event loop; see the module docstring.

    A flush has two stages. Storing (one transaction) runs one flush at a time, in submission
    order, and resolves the submissions' futures (the acks) as soon as it commits. Publishing
    (progress, then the channel-layer events) runs after the previous flush's publishing, so
    events stay in time order, while the next flush is already being stored.
    """

    def __init__(self) -> None:
        self._pending: list[_Submission] = []
        self._pending_rows = 0
        self._timer: asyncio.TimerHandle | None = None
        self._flushes: set[asyncio.Task[None]] = set()
        self._lock = asyncio.Lock()  # one store at a time: rows stay in submission order
        self._published: asyncio.Future[None] | None = None  # the last flush's publishing

    def submit(self, fixes: list[Fix]) -> asyncio.Future:
        """Queue `fixes`; the future resolves to the flush's StoreResult once they are stored."""
        loop = asyncio.get_running_loop()
        submission = _Submission(fixes=fixes, future=loop.create_future())
        self._pending.append(submission)
        self._pending_rows += len(fixes)
        if self._pending_rows >= settings.TRACKING_FLUSH_MAX_ROWS:
            self._cancel_timer()
            self._start_flush()
        elif self._timer is None:
            self._timer = loop.call_later(settings.TRACKING_FLUSH_SECONDS, self._start_flush)
        return submission.future

    def _start_flush(self) -> None:
        task = asyncio.get_running_loop().create_task(self.flush())
        self._flushes.add(task)  # a reference, so the task is not collected mid-flight
        task.add_done_callback(self._flushes.discard)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    async def flush(self) -> None:
        """Store everything queued so far (nothing to do when the queue is empty), then publish
        it; returns once both are done."""
        async with self._lock:
            self._cancel_timer()
            submissions, self._pending, self._pending_rows = self._pending, [], 0
            if not submissions:
                return
            fixes = [fix for submission in submissions for fix in submission.fixes]
            try:
                result = await _in_writer_thread(positions_store)(fixes=fixes)
            except Exception as exc:
                logger.exception("tracking.flush_failed", rows=len(fixes))
                for submission in submissions:
                    if not submission.future.done():
                        submission.future.set_exception(exc)
                return
            for submission in submissions:
                if not submission.future.done():
                    submission.future.set_result(result)
            previous = self._published
            published = self._published = asyncio.get_running_loop().create_future()
        try:
            if previous is not None:
                await asyncio.shield(previous)
            await _broadcast(result)
        finally:
            published.set_result(None)


async def _broadcast(result: StoreResult) -> None:
    """The flush's positions to their booking groups and the trucks' newer last positions to
    their fleet groups, all sends at once; best effort (the rows are stored, REST serves them)."""
    layer = get_channel_layer()
    if layer is None or not (result.inserted or result.last_positions):
        return
    try:
        booked = [row for row in result.inserted if row.booking_id is not None]
        progress = await _in_writer_thread(_progress_of)(booked) if booked else []
        sends: dict[str, list[dict[str, Any]]] = defaultdict(list)  # group: its messages
        for row, extra in zip(booked, progress, strict=True):
            event = {
                "type": "position",
                "lat": row.lat,
                "lng": row.lng,
                "recorded_at": row.recorded_at.isoformat(),
                **extra,
            }
            assert row.booking_id is not None
            sends[booking_group_name(row.booking_id)].append(
                {"type": BOOKING_EVENT, "event": event}
            )
        for row in result.last_positions:
            position = fleet_position(
                truck_id=row.truck_id,
                lat=row.lat,
                lng=row.lng,
                recorded_at=row.recorded_at,
                heading=row.heading,
                speed=row.speed,
                booking_id=row.booking_id,
            )
            sends[company_fleet_group_name(row.company_id)].append(
                {"type": FLEET_POSITION, "position": position}
            )
        # The groups concurrently; within a group one send after another, in time order.
        await asyncio.gather(
            *(_send_in_order(layer, group, messages) for group, messages in sends.items())
        )
    except Exception as exc:  # the layer is best effort; the rows are committed
        logger.warning("tracking.broadcast_failed", error=repr(exc))


async def _send_in_order(layer: Any, group: str, messages: list[dict[str, Any]]) -> None:
    for message in messages:
        await layer.group_send(group, message)


def _progress_of(rows: list[StoredPosition]) -> list[dict[str, Any]]:
    booking_ids = {row.booking_id for row in rows if row.booking_id is not None}
    try:
        context = progress_context_load(booking_ids=booking_ids)
    except Exception:  # progress is an extra: a failure never loses the position events
        logger.exception("tracking.progress_failed", booking_ids=sorted(booking_ids))
        return [{} for _ in rows]
    try:
        booked = [
            (row.booking_id, row.lat, row.lng, row.recorded_at)
            for row in rows
            if row.booking_id is not None
        ]
        progress_speeds_prefetch(context, positions=booked)
    except Exception:  # then each ETA queries its own speeds
        logger.exception("tracking.progress_failed", booking_ids=sorted(booking_ids))
    extras = []
    for row in rows:
        assert row.booking_id is not None
        try:
            extras.append(
                progress_of_position(
                    context=context,
                    booking_id=row.booking_id,
                    lat=row.lat,
                    lng=row.lng,
                    recorded_at=row.recorded_at,
                )
            )
        except Exception:  # progress is an extra: a failure never loses the position event
            logger.exception("tracking.progress_failed", booking_id=row.booking_id)
            extras.append({})
    progress_context_save(context)
    return extras


_writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, PositionWriter] = (
    weakref.WeakKeyDictionary()
)


def position_writer() -> PositionWriter:
    """The writer of the running event loop (one per server process)."""
    loop = asyncio.get_running_loop()
    writer = _writers.get(loop)
    if writer is None:
        writer = _writers[loop] = PositionWriter()
    return writer
