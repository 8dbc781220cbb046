"""Watching sockets: a booking's live stream and a company's fleet map."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.db.models import QuerySet

from apps.bookings.models import Booking
from apps.bookings.selectors import booking_get_for_user
from apps.core.errors import ApplicationError
from apps.tracking.groups import booking_group_name, company_fleet_group_name, fleet_position
from apps.tracking.models import TruckLastPosition
from apps.tracking.selectors import fleet_last_positions
from apps.tracking.sockets import ReadOnlyJsonConsumer, accepted_subprotocol

IN_PROGRESS = Booking.Status.IN_PROGRESS


@database_sync_to_async
def _watcher_role(user: Any, booking_id: int) -> str | None:
    try:
        return booking_get_for_user(user=user, booking_id=booking_id).role
    except ApplicationError:
        return None


@database_sync_to_async
def _booking_status(booking_id: int) -> str | None:
    return Booking.objects.filter(pk=booking_id).values_list("status", flat=True).first()


@database_sync_to_async
def _fleet_of(user: Any, company_id: int) -> QuerySet[TruckLastPosition] | None:
    """The company's last positions by truck id, not read yet; None unless `user` is its staff."""
    try:
        return fleet_last_positions(user=user, company_id=company_id).order_by("truck_id")
    except ApplicationError:
        return None


@database_sync_to_async
def _fleet_snapshot(positions: QuerySet[TruckLastPosition]) -> list[dict[str, Any]]:
    return [
        _fleet_frame(
            fleet_position(
                truck_id=last.truck_id,
                lat=last.point.y,
                lng=last.point.x,
                recorded_at=last.recorded_at,
                heading=last.heading,
                speed=last.speed,
                booking_id=last.booking_id,
            )
        )
        for last in positions
    ]


def _fleet_frame(position: dict[str, Any]) -> dict[str, Any]:
    """A fleet socket frame: {"type": "position", "truck", "lat", "lng", "recorded_at", ...}."""
    return {"type": "position", **position}


class BookingWatchConsumer(ReadOnlyJsonConsumer):
    """`/ws/bookings/<id>/`: the booking's customer or its company's active staff; anyone else is
    refused at the handshake (403).

    Forwards the booking group's events (`position`, `status`, `message`) as they come. Privacy:
    a customer gets `position` events only while the booking is in progress, judged from the
    database at connect and then from the `status` events of the same stream (so a position
    sent after the job's completion event is never shown). Staff always get positions.
    """

    async def connect(self) -> None:
        self.booking_id = int(self.scope["url_route"]["kwargs"]["booking_id"])
        self.group_name = booking_group_name(self.booking_id)
        self.joined = False
        role = await _watcher_role(self.scope.get("user"), self.booking_id)
        if role is None:
            await self.close()
            return
        self.is_customer = role == "customer"
        # Join before reading the status: a change committed in between arrives as an event.
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        self.joined = True
        self.status = await _booking_status(self.booking_id)
        await self.accept(subprotocol=accepted_subprotocol(self.scope))

    async def disconnect(self, code: int) -> None:
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def booking_event(self, message: dict[str, Any]) -> None:
        event = message.get("event") or {}
        kind = event.get("type")
        if kind == "status" and event.get("status"):
            self.status = event["status"]
        if kind == "position" and self.is_customer and self.status != IN_PROGRESS:
            return
        await self.send_json(event)


class FleetConsumer(ReadOnlyJsonConsumer):
    """`/ws/companies/<id>/fleet/`: that company's active staff only (403 for anyone else).

    On connect, every truck's latest position (one `position` frame per truck, by truck id);
    then each new one as the ingest stores it. A truck may appear twice around the connect (the
    snapshot and a live frame): the newest `recorded_at` wins on the client.
    """

    async def connect(self) -> None:
        self.company_id = int(self.scope["url_route"]["kwargs"]["company_id"])
        self.group_name = company_fleet_group_name(self.company_id)
        self.joined = False
        positions = await _fleet_of(self.scope.get("user"), self.company_id)
        if positions is None:
            await self.close()
            return
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        self.joined = True
        await self.accept(subprotocol=accepted_subprotocol(self.scope))
        for frame in await _fleet_snapshot(positions):
            await self.send_json(frame)

    async def disconnect(self, code: int) -> None:
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def fleet_position(self, message: dict[str, Any]) -> None:
        await self.send_json(_fleet_frame(message.get("position") or {}))
