"""Share links of a booking: create (token shown once), revoke (open sockets closed), resolve."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import structlog
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.models import Booking
from apps.core.errors import InvalidTransition, NotFound
from apps.tracking.models import ShareLink

logger = structlog.get_logger(__name__)

SHARE_REVOKED = "share.revoked"
TOKEN_BYTES = 32
CLOSED_STATUSES = (Booking.Status.COMPLETED, Booking.Status.CANCELLED)


def share_group_name(link_id: int) -> str:
    """The channel-layer group of one link's open sockets (closed together on revocation)."""
    return f"share.{link_id}"


def token_sha256(token: str) -> str:
    """The stored form of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class CreatedShareLink:
    """A new link and its token (the token exists only here: the database keeps its hash)."""

    link: ShareLink
    token: str


@transaction.atomic
def share_link_create(
    *, booking: Booking, actor: User, expires_in_minutes: int | None = None
) -> CreatedShareLink:
    """A new link to watch `booking`'s truck (the caller checked access to the booking).

    Refused (409 invalid_transition) once the job is over: there is nothing left to watch.
    """
    if booking.status in CLOSED_STATUSES:
        raise InvalidTransition("The job is over: there is nothing left to share.")
    minutes = expires_in_minutes or settings.TRACKING_SHARE_LINK_DEFAULT_MINUTES
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = timezone.now()
    link = ShareLink.objects.create(
        booking=booking,
        token_sha256=token_sha256(token),
        created_by=actor,
        expires_at=now + timedelta(minutes=minutes),
    )
    return CreatedShareLink(link=link, token=token)


@transaction.atomic
def share_link_revoke(*, booking: Booking, token: str) -> None:
    """Revoke the booking's link with `token` (again: no change); NotFound for any other token.

    After the commit, every open socket of the link is told to close.
    """
    link = ShareLink.objects.filter(booking=booking, token_sha256=token_sha256(token)).first()
    if link is None:
        raise NotFound("Share link not found.")
    revoked = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        transaction.on_commit(lambda: _close_sockets(link_id=link.pk))


def share_link_get_valid(*, token: str) -> ShareLink | None:
    """The unexpired, unrevoked link with `token` (its booking loaded), else None."""
    if not token or len(token) > 128:
        return None
    return (
        ShareLink.objects.select_related("booking")
        .filter(
            token_sha256=token_sha256(token),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _close_sockets(*, link_id: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(share_group_name(link_id), {"type": SHARE_REVOKED})
    except Exception as exc:  # committed; open sockets still close at expiry
        logger.warning("tracking.share_revoke_broadcast_failed", link_id=link_id, error=repr(exc))
