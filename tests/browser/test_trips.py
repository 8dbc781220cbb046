"""Browser: a dispatcher publishes a trip, sees the space left, opens it and marks it departed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from apps.cargo.models import Trip
from apps.cargo.shipment_services import shipment_reserve
from tests.accounts.factories import TEST_PASSWORD
from tests.bookings.dashboard_support import local
from tests.bookings.quoting import customer
from tests.bookings.scheduling import at, ready
from tests.browser.conftest import assert_accessible, sign_in
from tests.cargo.support import hubs

pytestmark = pytest.mark.django_db(transaction=True)

__all__ = ["customer", "hubs"]  # fixtures


def test_dispatcher_publishes_a_trip_sees_its_space_and_marks_it_departed(
    alice, hubs, customer, browser_page
):
    # Given alice's truck ready to work and the hubs BER and LEJ
    team = ready(alice)
    page = browser_page.page
    sign_in(browser_page, email=team.dispatcher.email, password=TEST_PASSWORD)

    # When the dispatcher publishes BER -> LEJ through the form
    browser_page.goto("/dashboard/trips/")
    assert_accessible(page)
    page.get_by_label("Truck").select_option(str(team.truck.id))
    page.get_by_label("From hub").select_option("BER")
    page.get_by_label("To hub").select_option("LEJ")
    page.get_by_label("Departs").fill(local(at(8)))
    page.get_by_label("Arrives").fill(local(at(14)))
    page.get_by_label("Space to sell (m³)").fill("10")
    page.get_by_label("Weight to sell (kg)").fill("1000")
    page.get_by_label("Price per m³").fill("40")
    page.get_by_role("button", name="Publish the trip").click()
    page.wait_for_load_state()

    # Then it is listed with all its space left
    trip = Trip.objects.get()
    expect(page.get_by_role("status")).to_contain_text(f"Trip #{trip.id} BER → LEJ published.")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"Trip #{trip.id}"))
    expect(row).to_contain_text("10.000 m³ left")

    # When a customer books 2.5 m³ on it, the list shows what is left
    shipment = shipment_reserve(
        customer=customer, trip_ids=[trip.id], volume_m3=Decimal("2.5"), weight_kg=Decimal("80")
    )
    browser_page.goto("/dashboard/trips/")
    expect(row).to_contain_text("7.500 m³ left")
    assert_accessible(page)

    # When they open the trip: the shipment is there, and they mark it departed
    row.get_by_role("link", name=f"Trip #{trip.id}").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Trip #{trip.id}")
    expect(page.get_by_role("row", name=shipment.reference)).to_contain_text("Booked")
    assert_accessible(page)
    page.get_by_role("button", name="Mark departed").click()
    page.wait_for_load_state()

    # Then the trip and its shipment have left
    expect(page.get_by_role("status")).to_contain_text(f"Trip #{trip.id} marked departed.")
    expect(page.get_by_role("row", name=shipment.reference)).to_contain_text("Departed")
    expect(page.get_by_role("button", name="Mark arrived")).to_be_visible()
    assert_accessible(page)
    trip.refresh_from_db()
    shipment.refresh_from_db()
    assert (trip.status, shipment.status) == ("departed", "DEPARTED")
