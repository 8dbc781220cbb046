"""Issuing a completed booking's invoice: lines, tax, the next gapless number, snapshots.

Called by `booking_complete` inside its transaction (never on its own): the invoice exists iff
the booking is completed. Lines are the quote's lines as quoted plus the adjustments:

- extra labour: when the actual hours, rounded up to the quarter hour as the engine rounds,
  exceed the quote's estimated hours, the difference at the quote's labour hourly rate (the
  unit price of its `labour` line). Fewer hours than estimated lower nothing: the quote is the
  price the customer accepted.
- extras: one line each, as given (quantity x unit price, rounded once).

Tax is the quote's `tax_rate_percent` of the new subtotal, rounded half up to the currency's
minor unit (as the engine does), so an invoice without adjustments equals its quote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, Decimal, localcontext

from django.db import connection

from apps.bookings.models import Booking, Invoice, InvoiceCounter, InvoiceLine
from apps.core.errors import Invalid
from apps.pricing.engine.values import (
    DECIMAL_CONTEXT,
    LineItem,
    line_priced,
    minor_units,
    money_round,
    quantum_for,
)

_QUARTERS = Decimal(4)
_HUNDRED = Decimal(100)
LABOUR_CODE = "labour"
EXTRA_HOURS_CODE = "extra_hours"
EXTRA_CODE = "extra"

Source = InvoiceLine.Source


@dataclass(frozen=True, slots=True)
class InvoiceExtra:
    """An extra item the crew supplied or did (boxes sold, a piano, waiting time)."""

    label: str
    quantity: Decimal
    unit_price: Decimal
    code: str = EXTRA_CODE


def billed_hours(actual_hours: Decimal) -> Decimal:
    """Hours rounded up to the quarter hour, as the quote engine bills labour."""
    return (actual_hours * _QUARTERS).to_integral_value(ROUND_CEILING) / _QUARTERS


def _extras_check(extras: Sequence[InvoiceExtra], currency: str) -> None:
    """Unit prices in the currency's minor units (400 with the item's index otherwise)."""
    places, quantum = minor_units(currency), quantum_for(currency)
    errors: list[dict[str, list[str]]] = [{} for _ in extras]
    for index, extra in enumerate(extras):
        if extra.unit_price != extra.unit_price.quantize(quantum):  # "1.500" is fine in EUR
            errors[index]["unit_price"] = [f"At most {places} decimal places in {currency}."]
    if any(errors):
        raise Invalid(details={"extras": errors})


def invoice_lines(
    *, booking: Booking, actual_hours: Decimal | None, extras: Sequence[InvoiceExtra]
) -> list[tuple[str, LineItem]]:
    """(source, line) of the invoice: the quote's lines, then the adjustments."""
    quote = booking.quote
    quantum = quantum_for(booking.currency)
    lines: list[tuple[str, LineItem]] = [
        (
            Source.QUOTE,
            LineItem(
                line["code"],
                line["label"],
                Decimal(line["quantity"]),
                Decimal(line["unit_price"]),
                Decimal(line["amount"]),
            ),
        )
        for line in quote.lines
    ]
    labour = next((line for _, line in lines if line.code == LABOUR_CODE), None)
    if actual_hours is not None and labour is not None:
        extra_hours = billed_hours(actual_hours) - quote.estimated_hours
        if extra_hours > 0:
            priced = line_priced(
                code=EXTRA_HOURS_CODE,
                label=f"Extra labour beyond the quoted {quote.estimated_hours} h",
                quantity=extra_hours,
                unit_price=labour.unit_price,
                quantum=quantum,
            )
            lines.append((Source.ADJUSTMENT, priced))
    for extra in extras:
        priced = line_priced(
            code=extra.code,
            label=extra.label,
            quantity=extra.quantity,
            unit_price=extra.unit_price,
            quantum=quantum,
        )
        lines.append((Source.ADJUSTMENT, priced))
    return lines


def invoice_number_next(*, company_id: int) -> int:
    """The company's next invoice number; the counter row stays locked until the commit.

    The row is created on first use (INSERT ... ON CONFLICT DO NOTHING: two first invoices
    racing create it once), then locked FOR UPDATE and incremented: a second issuer waits for
    the first to commit and reads its number, so numbers never repeat; a rolled-back issue
    rolls the increment back, so they never skip.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bookings_invoicecounter (company_id, last_number) "
            "VALUES (%s, 0) ON CONFLICT (company_id) DO NOTHING",
            [company_id],
        )
    counter = InvoiceCounter.objects.select_for_update().get(pk=company_id)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def invoice_issue(
    *,
    booking: Booking,
    actual_hours: Decimal | None,
    extras: Sequence[InvoiceExtra],
    issued_at: datetime,
) -> Invoice:
    """The booking's invoice, numbered, with its lines (inside the completion's transaction)."""
    _extras_check(extras, booking.currency)
    quote, company, customer = booking.quote, booking.company, booking.customer
    with localcontext(DECIMAL_CONTEXT):
        lines = invoice_lines(booking=booking, actual_hours=actual_hours, extras=extras)
        subtotal = sum((line.amount for _, line in lines), Decimal(0))
        tax = money_round(
            subtotal * quote.tax_rate_percent / _HUNDRED, quantum_for(booking.currency)
        )
    move_request = booking.move_request
    invoice = Invoice.objects.create(
        company=company,
        booking=booking,
        number=invoice_number_next(company_id=company.pk),
        issued_at=issued_at,
        currency=booking.currency,
        tax_rate_percent=quote.tax_rate_percent,
        subtotal=subtotal,
        tax=tax,
        total=subtotal + tax,
        seller_name=company.name,
        seller_legal_name=company.legal_name,
        seller_registration_number=company.registration_number,
        seller_email=company.email,
        buyer_name=customer.name,
        buyer_email=customer.email or "",
        buyer_phone=customer.phone or "",
        origin_address=move_request.origin_address,
        destination_address=move_request.destination_address,
        move_date=move_request.move_date,
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            source=source,
            code=line.code,
            label=line.label,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for position, (source, line) in enumerate(lines, start=1)
    )
    return invoice
