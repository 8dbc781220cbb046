"""The managers' live map: every truck's latest position, moving over the fleet socket."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.companies.dashboard import MANAGER_ROLES, staff_page
from apps.tracking.dashboard_selectors import live_map_trucks


@staff_page(roles=MANAGER_ROLES)
def live_map(request: HttpRequest) -> HttpResponse:
    """The map and a table of the trucks; the page's script opens the company's fleet socket
    with the session cookie (apps/accounts/ws_auth.py)."""
    staff = request.staff  # type: ignore[attr-defined]
    context = {
        "trucks": live_map_trucks(user=staff.user, company=staff.company),
        "socket_path": f"/ws/companies/{staff.company.pk}/fleet/",
        "tile_url": settings.TRACKING_SHARE_TILE_URL,
    }
    return render(request, "tracking/dashboard/live_map.html", context)
