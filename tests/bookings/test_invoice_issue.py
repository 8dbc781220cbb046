"""The invoice issued on completion: lines, adjustments, tax, gapless numbers, snapshots."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from apps.bookings.invoice_services import billed_hours
from apps.bookings.models import Booking, Invoice, InvoiceCounter
from tests.bookings.lifecycle_support import booking_in, url

pytestmark = pytest.mark.django_db

Status = Booking.Status
D = Decimal
EXTRA_LABEL = "Extra labour beyond the quoted 3.00 h"


def complete(client, booking: Booking, **body):
    body.setdefault("handover_code", booking.handover_code)
    response = client.post(url(booking, "complete"), body, format="json")
    assert response.status_code == 200, response.json()
    return Invoice.objects.get(booking=booking)


def lines_of(invoice: Invoice) -> list[tuple]:
    return [
        (
            line.position,
            line.source,
            line.code,
            line.label,
            line.quantity,
            line.unit_price,
            line.amount,
        )
        for line in invoice.lines.order_by("position")
    ]


def test_without_adjustments_the_invoice_equals_the_quote(alice):
    booking = booking_in(Status.IN_PROGRESS, company=alice)

    invoice = complete(alice.driver_client, booking, actual_hours="2.5")

    quote = booking.quote
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        quote.subtotal,
        quote.tax,
        quote.total,
    )
    assert invoice.tax_rate_percent == quote.tax_rate_percent
    assert invoice.currency == "EUR"
    assert lines_of(invoice) == [
        (1, "quote", "labour", "Crew of 2, 3.00 h", D("3.000"), D("80.00"), D("240.00"))
    ]


def test_extra_hours_and_extras_are_added_as_adjustments_and_taxed(alice):
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    extras = [
        {"label": "Wardrobe boxes", "quantity": "3", "unit_price": "12.50"},
        {"code": "piano", "label": "Piano, second floor", "quantity": "1", "unit_price": "90"},
    ]

    invoice = complete(alice.owner_client, booking, actual_hours="4.1", extras=extras)

    assert lines_of(invoice) == [
        (1, "quote", "labour", "Crew of 2, 3.00 h", D("3.000"), D("80.00"), D("240.00")),
        (2, "adjustment", "extra_hours", EXTRA_LABEL, D("1.250"), D("80.00"), D("100.00")),
        (3, "adjustment", "extra", "Wardrobe boxes", D("3.000"), D("12.50"), D("37.50")),
        (4, "adjustment", "piano", "Piano, second floor", D("1.000"), D("90.00"), D("90.00")),
    ]
    assert invoice.subtotal == D("467.50")
    assert invoice.tax == D("93.50")
    assert invoice.total == D("561.00")


@pytest.mark.parametrize(
    ("actual", "billed"),
    [("0.01", "0.25"), ("3", "3"), ("3.01", "3.25"), ("3.25", "3.25"), ("3.26", "3.5")],
)
def test_hours_are_billed_by_the_started_quarter_hour(actual, billed):
    assert billed_hours(D(actual)) == D(billed)


def test_fewer_hours_than_estimated_lower_nothing(alice):
    booking = booking_in(Status.IN_PROGRESS, company=alice)

    invoice = complete(alice.owner_client, booking, actual_hours="1")

    assert invoice.total == booking.quote.total
    assert invoice.lines.count() == 1


def test_numbers_follow_each_other_per_company_and_each_company_counts_alone(alice, bob):
    first = booking_in(Status.IN_PROGRESS, company=alice)
    second = booking_in(
        Status.IN_PROGRESS, company=alice, start=first.scheduled_end + timedelta(hours=1)
    )
    bobs = booking_in(Status.IN_PROGRESS, company=bob)

    numbers = [
        complete(alice.owner_client, first).number,
        complete(bob.owner_client, bobs).number,
        complete(alice.owner_client, second).number,
    ]

    assert numbers == [1, 1, 2]
    assert InvoiceCounter.objects.get(pk=alice.company.pk).last_number == 2
    assert InvoiceCounter.objects.get(pk=bob.company.pk).last_number == 1


def test_a_refused_completion_takes_no_number(alice):
    first = booking_in(Status.IN_PROGRESS, company=alice)
    second = booking_in(
        Status.IN_PROGRESS, company=alice, start=first.scheduled_end + timedelta(hours=1)
    )
    refused = alice.owner_client.post(
        url(first, "complete"),
        {"handover_note": "n", "extras": [{"label": "x", "quantity": "1", "unit_price": "0.001"}]},
        format="json",
    )
    assert refused.status_code == 400

    assert complete(alice.owner_client, second).number == 1


def test_seller_and_buyer_are_copied_and_do_not_follow_later_edits(alice):
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    invoice = complete(alice.owner_client, booking)
    company, customer = alice.company, booking.customer
    snapshot = (company.name, company.legal_name, company.registration_number, company.email)

    company.name = "Renamed"
    company.save()
    customer.name = "Someone Else"
    customer.save()

    invoice.refresh_from_db()
    assert (
        invoice.seller_name,
        invoice.seller_legal_name,
        invoice.seller_registration_number,
        invoice.seller_email,
    ) == snapshot
    assert invoice.buyer_name not in ("", "Someone Else")
    assert invoice.buyer_phone == customer.phone
    assert invoice.origin_address == booking.move_request.origin_address
    assert invoice.move_date == booking.move_request.move_date
