"""A hand-counted week of alice's business for the Insights tests (selector, page, browser).

The week of Monday 2 November 2026 (Europe/Paris, UTC+1), one active truck (10 h workday):

| job | made      | status    | truck booked          | started        | invoice    | review |
| b1  | Mon 10:00 | completed | Tue 09:00-13:00 (4h)  | 09:10, on time | Tue 500.00 | 5      |
| b2  | Mon 11:00 | completed | Wed 08:00-14:00 (6h)  | 08:30, late    | Wed 250.50 | 4      |
| b3  | Tue 09:00 | cancelled | (released)            |                |            |        |
| b4  | Wed 12:00 | scheduled | Fri 10:00-20:00 (10h) |                |            |        |
| b5  | Sun 23:30 | confirmed |                       |                |            |        |

Figures of the week: revenue 750.50 EUR; 5 bookings made (1 confirmed, 1 scheduled,
2 completed, 1 cancelled), cancellation rate 20 %; utilisation 20 h / 70 h = 28.6 %; on-time
starts 1 of 2 = 50 %; average rating 4.50 from 2 reviews.

Around it, what must NOT count in that week: b6, made Monday 9 November 00:30 (the next
week, though still Sunday in UTC); an invoice in GBP (another currency) issued in the week;
bob's invoice, booking and review in the week.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from apps.bookings.models import Booking, Invoice, Review, TruckAllocation
from tests.bookings.factories import BookingFactory
from tests.bookings.review_factories import stored_review

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
WEEK_START = date(2026, 11, 2)
WEEK_END = date(2026, 11, 8)
_invoice_numbers = iter(range(1, 10_000))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Paris time in November 2026."""
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


def job(
    tenant: Any,
    status: str,
    *,
    made: datetime,
    booked: tuple[datetime, int] | None = None,
    released: bool = False,
    started: datetime | None = None,
) -> Booking:
    """A booking of `tenant` made at `made`, its truck booked (start, hours)."""
    booking = BookingFactory(company=tenant.company)
    fields: dict[str, Any] = {"created_at": made, "status": status}
    if booked is not None:
        start, hours = booked
        end = start + timedelta(hours=hours)
        TruckAllocation.objects.create(
            company=tenant.company,
            booking=booking,
            truck=tenant.truck,
            period=DateTimeTZRange(start, end, "[)"),
            released_at=made if released else None,
        )
        if not released:
            fields |= {"scheduled_start": start, "scheduled_end": end}
    if started is not None:
        fields["started_at"] = started
    Booking.objects.filter(pk=booking.pk).update(**fields)
    booking.refresh_from_db()
    return booking


def invoice(booking: Booking, *, issued_at: datetime, total: str, currency: str = "EUR") -> Invoice:
    company = booking.company
    return Invoice.objects.create(
        company=company,
        booking=booking,
        number=next(_invoice_numbers),
        issued_at=issued_at,
        currency=currency,
        tax_rate_percent=Decimal("20"),
        subtotal=Decimal(total),
        tax=Decimal(0),
        total=Decimal(total),
        seller_name=company.name,
        seller_legal_name=company.legal_name,
        seller_registration_number=company.registration_number,
        seller_email=company.email,
        move_date=issued_at.date(),
    )


def review(booking: Booking, *, rating: int, written: datetime) -> Review:
    stored = stored_review(booking=booking, rating=rating)
    Review.objects.filter(pk=stored.pk).update(created_at=written)
    return stored


def seed_week(alice: Any, bob: Any) -> dict[str, Booking]:
    """The week of the module docstring; the bookings by name."""
    done, late = Booking.Status.COMPLETED, Booking.Status.COMPLETED
    b1 = job(alice, done, made=at(2, 10), booked=(at(3, 9), 4), started=at(3, 9, 10))
    b2 = job(alice, late, made=at(2, 11), booked=(at(4, 8), 6), started=at(4, 8, 30))
    b3 = job(alice, Booking.Status.CANCELLED, made=at(3, 9), booked=(at(5, 9), 4), released=True)
    b4 = job(alice, Booking.Status.SCHEDULED, made=at(4, 12), booked=(at(6, 10), 10))
    b5 = job(alice, Booking.Status.CONFIRMED, made=at(8, 23, 30))
    b6 = job(alice, Booking.Status.CONFIRMED, made=at(9, 0, 30))
    invoice(b1, issued_at=at(3, 14), total="500.00")
    invoice(b2, issued_at=at(4, 15), total="250.50")
    review(b1, rating=5, written=at(4, 18))
    review(b2, rating=4, written=at(5, 18))
    # another currency, in the week: not revenue in EUR
    b7 = job(alice, done, made=at(1, 12))
    invoice(b7, issued_at=at(5, 10), total="999.00", currency="GBP")
    # bob's week
    other = job(bob, done, made=at(3, 10), booked=(at(3, 9), 8), started=at(3, 12))
    invoice(other, issued_at=at(3, 18), total="1234.00")
    review(other, rating=1, written=at(4, 9))
    return {"b1": b1, "b2": b2, "b3": b3, "b4": b4, "b5": b5, "b6": b6, "b7": b7}
