"""Browser: the live map shows a truck's marker move when its driver sends a position."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken
from websockets.sync.client import connect

from apps.bookings.models import Booking
from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.lifecycle_support import booking_in
from tests.browser.conftest import assert_accessible, sign_in
from tests.tracking.test_dashboard_live_map import last_position

pytestmark = pytest.mark.django_db(transaction=True)

MARKER = '.truck-marker[data-truck="{truck}"]'


def test_the_live_map_moves_a_marker_when_the_driver_sends_a_position(alice, browser_page):
    # Given alice's truck last seen in Lyon, on a job driven by alice's driver
    booking_in(Booking.Status.IN_PROGRESS, company=alice)
    last_position(alice.truck, 45.76, 4.83)
    page = browser_page.page
    sign_in(browser_page, email=alice.dispatcher.email, password=TEST_PASSWORD)

    # When the dispatcher opens the live map
    browser_page.goto("/dashboard/map/")

    # Then the truck's marker is at its last position, and the socket is live
    marker = page.locator(MARKER.format(truck=alice.truck.pk))
    assert marker.get_attribute("data-lat") == "45.760000"
    page.wait_for_function("() => document.getElementById('live-map').dataset.live === 'true'")
    assert_accessible(page)

    # When the driver sends a new position over the driver socket
    socket_url = browser_page.base_url.replace("http://", "ws://") + "/ws/driver/"
    token = str(AccessToken.for_user(alice.driver_user))
    with connect(socket_url, subprotocols=["bearer", token]) as driver:
        driver.send(
            json.dumps(
                {
                    "type": "position",
                    "lat": 45.7712,
                    "lng": 4.8421,
                    "recorded_at": timezone.now().isoformat(),
                }
            )
        )
        ack = json.loads(driver.recv(timeout=10))
    assert ack["type"] == "ack"

    # Then the marker moves there, and the table shows it
    page.wait_for_function(
        "([selector, lat]) => document.querySelector(selector)?.dataset.lat === lat",
        arg=[MARKER.format(truck=alice.truck.pk), "45.771200"],
    )
    assert marker.get_attribute("data-lng") == "4.842100"
    row = page.locator(f'#live-map-trucks tr[data-truck="{alice.truck.pk}"]')
    assert row.locator('[data-cell="position"]').inner_text() == "45.77120, 4.84210"
