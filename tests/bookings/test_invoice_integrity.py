"""Invoice numbers under concurrency, and the triggers that keep invoices and history unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from apps.bookings.lifecycle_services import booking_complete
from apps.bookings.models import Booking, BookingEvent, Invoice, InvoiceCounter, InvoiceLine
from tests.bookings.lifecycle_support import booking_in, url
from tests.race import race

Status = Booking.Status


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_completions_of_one_company_get_consecutive_numbers(alice):
    first = booking_in(Status.IN_PROGRESS, company=alice)
    second = booking_in(
        Status.IN_PROGRESS, company=alice, start=first.scheduled_end + timedelta(hours=1)
    )

    def completion(booking: Booking):
        return lambda: booking_complete(
            booking=booking, actor=alice.owner, handover_code=booking.handover_code
        )

    race([completion(first), completion(second)])

    numbers = sorted(Invoice.objects.filter(company=alice.company).values_list("number", flat=True))
    assert numbers == [1, 2]
    assert InvoiceCounter.objects.get(pk=alice.company.pk).last_number == 2
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.COMPLETED}


@pytest.mark.django_db(transaction=True)
def test_the_first_invoices_of_two_companies_racing_both_get_number_1(alice, bob):
    ours = booking_in(Status.IN_PROGRESS, company=alice)
    theirs = booking_in(Status.IN_PROGRESS, company=bob)

    race(
        [
            lambda: booking_complete(booking=ours, actor=alice.owner, handover_note="n"),
            lambda: booking_complete(booking=theirs, actor=bob.owner, handover_note="n"),
        ]
    )

    assert sorted(Invoice.objects.values_list("company_id", "number")) == sorted(
        [(alice.company.pk, 1), (bob.company.pk, 1)]
    )


@pytest.fixture
def issued(alice) -> Invoice:
    booking = booking_in(Status.IN_PROGRESS, company=alice)
    response = alice.owner_client.post(
        url(booking, "complete"), {"handover_code": booking.handover_code}, format="json"
    )
    assert response.status_code == 200
    return Invoice.objects.get(booking=booking)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("bookings_invoice", "UPDATE bookings_invoice SET total = 0 WHERE id = %s"),
        ("bookings_invoice", "DELETE FROM bookings_invoice WHERE id = %s"),
        (
            "bookings_invoiceline",
            "UPDATE bookings_invoiceline SET amount = 0 WHERE invoice_id = %s",
        ),
        ("bookings_invoiceline", "DELETE FROM bookings_invoiceline WHERE invoice_id = %s"),
        (
            "bookings_bookingevent",
            "UPDATE bookings_bookingevent SET kind = 'x' "
            "WHERE booking_id = (SELECT booking_id FROM bookings_invoice WHERE id = %s)",
        ),
        (
            "bookings_bookingevent",
            "DELETE FROM bookings_bookingevent "
            "WHERE booking_id = (SELECT booking_id FROM bookings_invoice WHERE id = %s)",
        ),
    ],
)
def test_raw_sql_cannot_change_an_issued_invoice_its_lines_or_the_history(issued, table, statement):
    before = (
        list(Invoice.objects.values()),
        list(InvoiceLine.objects.values()),
        list(BookingEvent.objects.values()),
    )

    with (
        pytest.raises(IntegrityError, match=table),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [issued.pk])

    assert (
        list(Invoice.objects.values()),
        list(InvoiceLine.objects.values()),
        list(BookingEvent.objects.values()),
    ) == before
