"""The public share page `/t/<token>/`: a small server-rendered map of one booking's truck."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.bookings.models import Booking
from apps.tracking.share import share_link_get_valid


@require_GET
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    """The live map for a valid link (404 HTML for an unknown, expired or revoked one)."""
    link = share_link_get_valid(token=token)
    if link is None:
        raise Http404("This tracking link is not valid.")
    context = {
        "socket_path": f"/ws/share/{token}/",
        "is_in_progress": link.booking.status == Booking.Status.IN_PROGRESS,
        "expires_at": link.expires_at,
        "tile_url": settings.TRACKING_SHARE_TILE_URL,
    }
    response = render(request, "tracking/share.html", context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response
