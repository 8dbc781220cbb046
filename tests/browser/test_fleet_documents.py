"""Browser: a dispatcher adds a truck on Fleet, and uploads its registration on Documents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.companies.models import Truck
from apps.verification.demo_files import tiny_pdf
from apps.verification.models import Document
from tests.accounts.factories import TEST_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_dispatcher_signs_in_and_adds_a_truck(alice, browser_page):
    page = browser_page.page
    sign_in(browser_page, email=alice.dispatcher.email, password=TEST_PASSWORD)

    page.get_by_role("link", name="Fleet").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Fleet", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a truck").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Plate").fill("gh-404 ij")
    page.get_by_label("Capacity (m³)").fill("0")
    page.get_by_label("Payload (kg)").fill("3200")
    page.get_by_role("button", name="Add the truck").click()
    page.wait_for_load_state()
    # A capacity the API refuses is shown on the field, and nothing is created
    assert page.get_by_text("Must be greater than 0 and at most 200.").is_visible()
    assert not Truck.objects.filter(plate="GH-404 IJ").exists()
    assert_accessible(page)
    page.get_by_label("Capacity (m³)").fill("32.5")
    page.get_by_role("button", name="Add the truck").click()
    page.wait_for_load_state()

    assert page.url == browser_page.base_url + "/dashboard/fleet/"
    assert page.get_by_text("Truck GH-404 IJ added.").is_visible()
    assert page.get_by_role("rowheader", name="GH-404 IJ").is_visible()
    assert Truck.objects.get(plate="GH-404 IJ").company == alice.company
    assert_accessible(page)


def test_a_dispatcher_uploads_a_registration_and_sees_it_pending(alice, browser_page, tmp_path):
    scan = tmp_path / "registration.pdf"
    scan.write_bytes(tiny_pdf("Registration"))
    today = timezone.localdate()
    page = browser_page.page
    sign_in(browser_page, email=alice.dispatcher.email, password=TEST_PASSWORD)

    browser_page.goto("/dashboard/documents/")
    assert_accessible(page)
    page.get_by_role("link", name="Upload a document").click()
    page.wait_for_load_state()
    page.get_by_label("Kind of document").select_option("truck_registration")
    page.get_by_label("Truck or driver").select_option(f"truck-{alice.truck.id}")
    page.get_by_label("Document number").fill("REG-77")
    page.get_by_label("Issued by").fill("Préfecture du Rhône")
    page.get_by_label("Issued on").fill(str(today - timedelta(days=3)))
    page.get_by_label("Expires on").fill(str(today + timedelta(days=20)))
    page.get_by_label("File").set_input_files(str(scan))
    assert_accessible(page)
    page.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()

    assert page.url == browser_page.base_url + "/dashboard/documents/"
    assert page.get_by_text("Truck registration REG-77 uploaded: it waits for review.").is_visible()
    assert page.get_by_text("Expires in 20 days").is_visible()
    assert Document.objects.get(number="REG-77").truck == alice.truck
    assert_accessible(page)
