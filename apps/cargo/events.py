"""A shipment's history rows and the customer's notice of each status change."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.notification_services import user_notify
from apps.cargo.models import Hub, Shipment, ShipmentEvent, ShipmentStatus

_WHAT = {
    ShipmentStatus.BOOKED: "is booked",
    ShipmentStatus.DEPARTED: "has left",
    ShipmentStatus.ARRIVED: "has arrived",
    ShipmentStatus.DELIVERED: "was delivered",
    ShipmentStatus.CANCELLED: "is cancelled",
}


def shipment_event_append(
    *,
    shipment: Shipment,
    actor: User | None,
    hub: Hub | None,
    note: str = "",
    at: datetime | None = None,
) -> ShipmentEvent:
    """Append the shipment's current status to its history (rows are never changed)."""
    return ShipmentEvent.objects.create(
        shipment=shipment,
        status=shipment.status,
        at=at or timezone.now(),
        actor=actor,
        hub=hub,
        note=note[:300],
    )


# The customer's own steps (booking, cancelling) get no SMS, as for moves.
SMS_STATUSES = frozenset(
    {ShipmentStatus.DEPARTED, ShipmentStatus.ARRIVED, ShipmentStatus.DELIVERED}
)


def shipment_notify(*, shipment: Shipment, hub: Hub | None) -> None:
    """Tell the customer the shipment's new status: in the app, by e-mail, and by SMS when the
    goods move (departed, arrived, delivered); e-mail and SMS are sent after the commit."""
    place = f" ({hub.code} {hub.name})" if hub is not None else ""
    sentence = f"Shipment {shipment.reference} {_WHAT[ShipmentStatus(shipment.status)]}{place}."
    user_notify(
        user=shipment.customer,
        kind=f"shipment_{shipment.status.lower()}",
        title=sentence,
        body=sentence,
        data={"shipment": shipment.reference, "status": shipment.status},
        email_subject=f"MoveHub shipment {shipment.reference}: {shipment.status.lower()}",
        email_body=f"{sentence}\n\nFollow it in the MoveHub app: {shipment.reference}.\n",
        sms=f"MoveHub: {sentence}" if shipment.status in SMS_STATUSES else "",
    )
