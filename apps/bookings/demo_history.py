"""Demo history for seed_demo: seven past weeks of the staffed demo company's work.

So that Insights, Invoices and Reviews show real figures, the demo company gets, on days before
the current week, moves made by the demo customer: most completed with an issued invoice
(varied totals: extra hours, boxes sold), a few cancelled, some started late, reviews (most
replied, the latest two not yet). Deterministic (a fixed random seed; dates relative to the
current week) and idempotent: nothing is added when the company already has a history job
(its request's notes start with HISTORY_NOTE).

What the services write, and what is written here directly (and why):
- the move request and its quotes: `move_request_create` with `now` set to the past moment
  the customer asked (the service accepts it); then the rows' `created_at` is set to that
  moment (the column is stamped with the real clock on insert).
- accepting, scheduling, starting, completing, cancelling, reviewing and replying are written
  here with the shapes those services write (the quote accepted and the request's others
  withdrawn, a confirmed Booking; live truck and driver allocations `[start, end)`, released
  with `released_at` = the cancellation's time when a scheduled job is cancelled; the
  started/completed/cancelled fields; the company's review counters moved with F()), because
  the services stamp every step with the real clock (`timezone.now()`: a start weeks late, an
  invoice issued today) and notify: they would e-mail and text the demo customer and staff
  about moves weeks old. No notification and no reminder is written for the history.
- events: `booking_event_append` with `at` = the step's past moment, same kinds and data.
- invoices: `invoice_issue` (the invoice service) with `issued_at` = the completion's moment,
  inside the same transaction, so numbers stay gapless; invoice rows are immutable, made once.
The jobs are on distinct days before today, one at a time, so their allocations never overlap
each other nor today's demo jobs nor docs/booking-walk.sh's move (both today or later).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import structlog
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.accept_services import handover_code_new
from apps.bookings.demo import NOTE_PREFIX
from apps.bookings.events import booking_event_append
from apps.bookings.invoice_services import InvoiceExtra, invoice_issue
from apps.bookings.models import (
    Booking,
    DriverAllocation,
    MoveRequest,
    Quote,
    Review,
    TruckAllocation,
)
from apps.bookings.request_services import move_request_create
from apps.bookings.schedule_selectors import company_zone, period_of
from apps.companies.models import Company, Driver, Truck
from apps.core.errors import ApplicationError
from apps.pricing.api.serializers import MoveRequestInput
from apps.pricing.engine.values import decimal_text

logger = structlog.get_logger(__name__)

HISTORY_NOTE = f"{NOTE_PREFIX} (history"  # the marker: "Demo job (history 3). ..."
HISTORY_WEEKS = 7
SEED = 13
# Jobs (counting from 0) cancelled by the customer before scheduling, and by the company after.
CANCELLED_CONFIRMED = {4}
CANCELLED_SCHEDULED = {11, 19}
UNANSWERED_REVIEWS = 2  # the latest reviews are left for the owner to answer

PLACES = [
    ((45.7578, 4.8320), "2 Place Bellecour, 69002 Lyon"),
    ((45.7719, 4.8902), "5 Cours Émile Zola, 69100 Villeurbanne"),
    ((45.7485, 4.8467), "14 Rue de Marseille, 69007 Lyon"),
    ((45.7797, 4.8059), "3 Quai Pierre Scize, 69009 Lyon"),
    ((45.7606, 4.8590), "20 Rue Garibaldi, 69006 Lyon"),
    ((45.7340, 4.8700), "11 Avenue Berthelot, 69008 Lyon"),
]
INVENTORIES = [
    [{"item": "box_medium", "quantity": 20}, {"item": "sofa_2seat", "quantity": 1}],
    [{"item": "sofa_3seat", "quantity": 1}, {"item": "box_medium", "quantity": 35}],
    [{"item": "armchair", "quantity": 2}, {"item": "box_small", "quantity": 15}],
    [{"item": "box_large", "quantity": 12}, {"item": "sofa_2seat", "quantity": 2}],
]
COMMENTS = {
    5: "Careful, quick and friendly crew. Nothing scratched.",
    4: "Good move overall; they arrived a little late.",
    3: "Fine, but the truck was late and one box was crushed.",
    2: "Late by half an hour and rushed at the end.",
}
REPLY = "Thank you for your review. We have shared it with the crew."


@dataclass(frozen=True)
class HistoryJob:
    index: int
    day: date
    start_hour: int
    hours: int
    late_minutes: int
    extra_hours: Decimal
    boxes_sold: int
    rating: int | None


def history_jobs(*, today: date) -> list[HistoryJob]:
    """The history's plan: 3-4 jobs a week on distinct days of the weeks before `today`'s."""
    rng = random.Random(SEED)  # noqa: S311 - a repeatable demo plan, no secret
    monday = today - timedelta(days=today.weekday())
    jobs: list[HistoryJob] = []
    for weeks_ago in range(HISTORY_WEEKS, 0, -1):
        week = monday - timedelta(weeks=weeks_ago)
        for weekday in sorted(rng.sample(range(6), rng.choice([3, 4]))):  # Monday to Saturday
            rated = rng.random() < 0.7
            jobs.append(
                HistoryJob(
                    index=len(jobs),
                    day=week + timedelta(days=weekday),
                    start_hour=rng.choice([8, 9, 13, 14]),
                    hours=rng.choice([3, 4]),
                    late_minutes=rng.choice([0, 0, 0, 5, 10, 10, 25, 40]),
                    extra_hours=rng.choice([Decimal(0), Decimal(0), Decimal("0.5"), Decimal(1)]),
                    boxes_sold=rng.choice([0, 0, 5, 10]),
                    rating=rng.choice([5, 5, 5, 4, 4, 3, 2]) if rated else None,
                )
            )
    return jobs


def demo_history_ensure(
    *, company: Company, customer: User, dispatcher: User, now: datetime | None = None
) -> int:
    """The company's past weeks (see the module docstring), once; returns the jobs made."""
    if Booking.objects.filter(
        company=company, move_request__notes__startswith=HISTORY_NOTE
    ).exists():
        return 0
    trucks = list(Truck.objects.filter(company=company).order_by("plate"))
    driver = Driver.objects.filter(company=company).select_related("membership__user").first()
    if not trucks or driver is None:
        return 0
    try:
        with transaction.atomic():  # all or nothing: e.g. no item catalogue to price with
            return _history_make(
                company=company,
                customer=customer,
                dispatcher=dispatcher,
                trucks=trucks,
                driver=driver,
                now=now,
            )
    except ApplicationError as error:
        logger.warning("demo_history_skipped", reason=error.message, details=error.details)
        return 0


def _history_make(
    *,
    company: Company,
    customer: User,
    dispatcher: User,
    trucks: list[Truck],
    driver: Driver,
    now: datetime | None,
) -> int:
    zone = company_zone(company)
    today = (now or timezone.now()).astimezone(zone).date()
    reviewed: list[Review] = []
    jobs = history_jobs(today=today)
    for job in jobs:
        start = datetime.combine(job.day, time(job.start_hour), tzinfo=zone)
        booking = _booked(job, company=company, customer=customer, start=start)
        if job.index in CANCELLED_CONFIRMED:
            _cancel(booking, actor=customer, at=start - timedelta(days=1), by="customer")
            continue
        fitting = [truck for truck in trucks if truck.capacity_m3 >= booking.quote.volume_m3]
        truck = (fitting or trucks)[job.index % len(fitting or trucks)]
        _schedule(booking, actor=dispatcher, truck=truck, driver=driver, start=start, job=job)
        if job.index in CANCELLED_SCHEDULED:
            _cancel(booking, actor=dispatcher, at=start - timedelta(hours=20), by="company")
            continue
        _run(booking, driver=driver, job=job)
        if job.rating is not None:
            reviewed.append(_review(booking, customer=customer, job=job))
    for review in reviewed[: max(0, len(reviewed) - UNANSWERED_REVIEWS)]:
        _reply(review, actor=dispatcher)
    return len(jobs)


def _booked(job: HistoryJob, *, company: Company, customer: User, start: datetime) -> Booking:
    """The customer's request (the service, as of `asked`) and the company's quote accepted."""
    asked = start - timedelta(days=3 + job.index % 4, hours=start.hour - 10)
    origin, origin_address = PLACES[job.index % len(PLACES)]
    destination, destination_address = PLACES[(job.index * 5 + 1) % len(PLACES)]
    serializer = MoveRequestInput(
        data={
            "origin": {"lat": origin[0], "lng": origin[1]},
            "destination": {"lat": destination[0], "lng": destination[1]},
            "origin_address": origin_address,
            "destination_address": destination_address,
            "move_date": job.day.isoformat(),
            "inventory": INVENTORIES[job.index % len(INVENTORIES)],
            "stairs_origin": job.index % 3,
            "notes": f"{HISTORY_NOTE} {job.index + 1}). Parking permit requested.",
        }
    )
    serializer.is_valid(raise_exception=True)
    move_request, _quotes = move_request_create(
        customer=customer, data=serializer.validated_data, now=asked
    )
    MoveRequest.objects.filter(pk=move_request.pk).update(created_at=asked, updated_at=asked)
    Quote.objects.filter(move_request=move_request).update(created_at=asked, updated_at=asked)
    quote = Quote.objects.get(move_request=move_request, company=company)  # as stored
    accepted = asked + timedelta(hours=2)
    Quote.objects.filter(pk=quote.pk).update(status=Quote.Status.ACCEPTED, updated_at=accepted)
    Quote.objects.filter(move_request=move_request, status=Quote.Status.OPEN).update(
        status=Quote.Status.WITHDRAWN, withdrawn_at=accepted, updated_at=accepted
    )
    booking = Booking.objects.create(
        company=company,
        customer=customer,
        move_request=move_request,
        quote=quote,
        status=Booking.Status.CONFIRMED,
        currency=quote.currency,
        total=quote.total,
        handover_code=handover_code_new(),
    )
    _stamp(booking, created_at=accepted)
    booking_event_append(
        booking=booking,
        kind="confirmed",
        actor=customer,
        data={"quote": quote.pk, "total": f"{quote.total:f}", "currency": quote.currency},
        at=accepted,
    )
    return booking


def _stamp(booking: Booking, **fields: datetime) -> None:
    """Set past times on the booking row (the columns `auto_now*` fill with the real clock)."""
    fields.setdefault("updated_at", max(fields.values()))
    Booking.objects.filter(pk=booking.pk).update(**fields)
    for name, value in fields.items():
        setattr(booking, name, value)


def _schedule(
    booking: Booking, *, actor: User, truck: Truck, driver: Driver, start: datetime, job: HistoryJob
) -> None:
    end = start + timedelta(hours=job.hours)
    at = start - timedelta(days=2)
    period = period_of(start, end)
    TruckAllocation.objects.create(
        company=booking.company, booking=booking, truck=truck, period=period
    )
    DriverAllocation.objects.create(
        company=booking.company, booking=booking, driver=driver, period=period
    )
    TruckAllocation.objects.filter(booking=booking).update(created_at=at)
    DriverAllocation.objects.filter(booking=booking).update(created_at=at)
    booking.status = Booking.Status.SCHEDULED
    booking.scheduled_start, booking.scheduled_end = start, end
    booking.save(update_fields=["status", "scheduled_start", "scheduled_end"])
    _stamp(booking, updated_at=at)
    data = {
        "from": Booking.Status.CONFIRMED,
        "truck": truck.pk,
        "drivers": [driver.pk],
        "start": start.astimezone(UTC).isoformat(),
        "end": end.astimezone(UTC).isoformat(),
    }
    booking_event_append(booking=booking, kind="scheduled", actor=actor, data=data, at=at)


def _cancel(booking: Booking, *, actor: User, at: datetime, by: str) -> None:
    previous = booking.status
    booking.status = Booking.Status.CANCELLED
    booking.save(update_fields=["status"])
    _stamp(booking, cancelled_at=at)
    released = TruckAllocation.objects.filter(booking=booking).update(released_at=at)
    released += DriverAllocation.objects.filter(booking=booking).update(released_at=at)
    data = {
        "from": previous,
        "by": by,
        "reason": "The customer's new flat is not ready." if by == "customer" else "Truck repair.",
        "cancellation_fee": None,  # cancelled well before the notice period, or by the company
        "currency": booking.currency,
        "allocations_released": released,
    }
    booking_event_append(booking=booking, kind="cancelled", actor=actor, data=data, at=at)


def _run(booking: Booking, *, driver: Driver, job: HistoryJob) -> None:
    """Started (maybe late) by the driver, completed with the customer's code, invoiced."""
    assert booking.scheduled_start is not None and booking.scheduled_end is not None
    crew = driver.membership.user
    started = booking.scheduled_start + timedelta(minutes=job.late_minutes)
    actual_hours = booking.quote.estimated_hours + job.extra_hours
    completed = started + timedelta(hours=float(actual_hours))
    booking.status = Booking.Status.COMPLETED
    booking.actual_hours = actual_hours
    booking.handover_verified = True
    booking.save(update_fields=["status", "actual_hours", "handover_verified"])
    _stamp(booking, started_at=started, completed_at=completed)
    booking_event_append(
        booking=booking,
        kind="started",
        actor=crew,
        data={"from": Booking.Status.SCHEDULED},
        at=started,
    )
    extras = []
    if job.boxes_sold:
        extras.append(
            InvoiceExtra(
                label="Moving boxes sold", quantity=Decimal(job.boxes_sold), unit_price=Decimal(3)
            )
        )
    invoice = invoice_issue(
        booking=booking, actual_hours=actual_hours, extras=extras, issued_at=completed
    )
    data = {
        "from": Booking.Status.IN_PROGRESS,
        "actual_hours": decimal_text(actual_hours),
        "handover_verified": True,
        "invoice_number": invoice.number,
        "invoice_total": decimal_text(invoice.total),
    }
    booking_event_append(booking=booking, kind="completed", actor=crew, data=data, at=completed)


def _review(booking: Booking, *, customer: User, job: HistoryJob) -> Review:
    assert booking.completed_at is not None and job.rating is not None
    at = booking.completed_at + timedelta(hours=20)
    Company.objects.filter(pk=booking.company_id).update(
        review_count=F("review_count") + 1, rating_sum=F("rating_sum") + job.rating
    )
    review = Review.objects.create(
        booking=booking,
        company_id=booking.company_id,
        customer=customer,
        rating=job.rating,
        comment=COMMENTS.get(job.rating, ""),
    )
    Review.objects.filter(pk=review.pk).update(created_at=at)
    review.created_at = at
    booking_event_append(
        booking=booking,
        kind="reviewed",
        actor=customer,
        data={"review": review.pk, "rating": job.rating},
        at=at,
    )
    return review


def _reply(review: Review, *, actor: User) -> None:
    at = review.created_at + timedelta(hours=3)
    Review.objects.filter(pk=review.pk).update(reply=REPLY, replied_at=at, replied_by=actor)
    booking_event_append(
        booking=review.booking,
        kind="review_replied",
        actor=actor,
        data={"review": review.pk},
        at=at,
    )
