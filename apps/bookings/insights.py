"""Insights: a company's figures over a period, per week or month (the one selector module).

Every figure of the Insights page and its CSV export comes from `company_insights`. Days and
weeks are the company's local calendar (weeks start on Monday); a period is whole days
`[start, end]`, cut into buckets (calendar weeks or months, the first and last clipped to the
period). Definitions:

- revenue: the sum of the totals of invoices issued in the bucket, in the company's currency
  (an invoice in another currency, from before a currency change, is left out);
- bookings by status: bookings made (created) in the bucket, by their status now;
- cancellation rate: of the bookings made in the bucket, the share cancelled since;
- truck utilisation: booked truck-hours (live allocations, moves and trips, the part inside
  the bucket) / (active trucks x BOOKING_WORKDAY_HOURS x days), capped at 1 — the measure the
  demand surcharge uses for one day (schedule_selectors.companies_utilisation_on);
- on-time starts: of the jobs scheduled to start in the bucket that have started, the share
  started no later than ON_TIME_GRACE after the scheduled start;
- average rating: the mean rating of the reviews written in the bucket.
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import Count, DateTimeField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from apps.bookings.models import Booking, Invoice, Review
from apps.companies.models import Company, Truck

Grouping = Literal["week", "month"]
ON_TIME_GRACE = timedelta(minutes=15)
DEFAULT_WEEKS = 8
MAX_PERIOD_DAYS = 366
_SHARE = Decimal("0.0001")
_RATING = Decimal("0.01")
STATUSES = [(value, label) for value, label in Booking.Status.choices]


@dataclass(frozen=True)
class Period:
    """Whole local days `start`..`end` (inclusive), grouped per week or month."""

    start: date
    end: date
    grouping: Grouping = "week"


def insights_period_default(*, today: date) -> Period:
    """The last 8 calendar weeks: the current one (Monday to Sunday) and the 7 before."""
    monday = today - timedelta(days=today.weekday())
    return Period(start=monday - timedelta(weeks=DEFAULT_WEEKS - 1), end=monday + timedelta(days=6))


@dataclass
class Bucket:
    """One week or month of the period, and its figures."""

    key: date  # the Monday or the 1st of the month
    start: date
    end: date  # inclusive
    revenue: Decimal = Decimal(0)
    by_status: dict[str, int] = field(default_factory=dict)
    booked_hours: Decimal = Decimal(0)
    available_hours: Decimal = Decimal(0)
    started: int = 0
    on_time: int = 0
    reviews: int = 0
    rating_sum: int = 0

    @property
    def bookings(self) -> int:
        return sum(self.by_status.values())

    @property
    def cancelled(self) -> int:
        return self.by_status.get(Booking.Status.CANCELLED, 0)

    @property
    def cancellation_rate(self) -> Decimal | None:
        return _share(self.cancelled, self.bookings)

    @property
    def utilisation(self) -> Decimal | None:
        share = _share(self.booked_hours, self.available_hours)
        return None if share is None else min(Decimal(1), share)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _share(self.on_time, self.started)

    @property
    def average_rating(self) -> Decimal | None:
        if not self.reviews:
            return None
        return (Decimal(self.rating_sum) / self.reviews).quantize(_RATING, ROUND_HALF_UP)


@dataclass
class Insights:
    """The period's buckets and their sum (`total`, a Bucket over the whole period)."""

    period: Period
    currency: str
    buckets: list[Bucket]
    total: Bucket


def _share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(_SHARE, ROUND_HALF_UP)


def _bucket_key(day: date, grouping: Grouping) -> date:
    if grouping == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def _next_key(key: date, grouping: Grouping) -> date:
    if grouping == "month":
        return (key + timedelta(days=32)).replace(day=1)
    return key + timedelta(weeks=1)


def _buckets(period: Period) -> list[Bucket]:
    buckets, key = [], _bucket_key(period.start, period.grouping)
    while key <= period.end:
        following = _next_key(key, period.grouping)
        buckets.append(
            Bucket(
                key=key,
                start=max(key, period.start),
                end=min(following - timedelta(days=1), period.end),
            )
        )
        key = following
    return buckets


def company_insights(*, company: Company, period: Period) -> Insights:
    """Every figure of `company` over `period`, per bucket and in total (a few queries)."""
    zone = zoneinfo.ZoneInfo(company.timezone)
    since = datetime.combine(period.start, time.min, tzinfo=zone)
    until = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    buckets = _buckets(period)
    by_key = {bucket.key: bucket for bucket in buckets}
    trunc = TruncMonth if period.grouping == "month" else TruncWeek

    def bucket_of(moment: datetime) -> Bucket:
        return by_key[moment.astimezone(zone).date()]

    revenue = (
        Invoice.objects.filter(
            company=company,
            currency=company.currency,
            issued_at__gte=since,
            issued_at__lt=until,
        )
        .annotate(bucket=trunc("issued_at", tzinfo=zone))
        .values("bucket")
        .annotate(amount=Sum("total"))
    )
    for invoiced in revenue:
        bucket_of(invoiced["bucket"]).revenue = invoiced["amount"]

    made = (
        Booking.objects.filter(company=company, created_at__gte=since, created_at__lt=until)
        .annotate(bucket=trunc("created_at", tzinfo=zone))
        .values("bucket", "status")
        .annotate(count=Count("id"))
    )
    for booked in made:
        bucket_of(booked["bucket"]).by_status[booked["status"]] = booked["count"]

    late_after = ExpressionWrapper(
        F("scheduled_start") + ON_TIME_GRACE, output_field=DateTimeField()
    )
    starts = (
        Booking.objects.filter(
            company=company,
            started_at__isnull=False,
            scheduled_start__gte=since,
            scheduled_start__lt=until,
        )
        .annotate(bucket=trunc("scheduled_start", tzinfo=zone))
        .values("bucket")
        .annotate(started=Count("id"), on_time=Count("id", filter=Q(started_at__lte=late_after)))
    )
    for start in starts:
        bucket = bucket_of(start["bucket"])
        bucket.started, bucket.on_time = start["started"], start["on_time"]

    ratings = (
        Review.objects.filter(company=company, created_at__gte=since, created_at__lt=until)
        .annotate(bucket=trunc("created_at", tzinfo=zone))
        .values("bucket")
        .annotate(count=Count("id"), rating_sum=Sum("rating"))
    )
    for rated in ratings:
        bucket = bucket_of(rated["bucket"])
        bucket.reviews, bucket.rating_sum = rated["count"], rated["rating_sum"]

    _utilisation(company=company, zone=zone, buckets=buckets)
    return Insights(
        period=period, currency=company.currency, buckets=buckets, total=_sum(period, buckets)
    )


_BOOKED_SECONDS_SQL = """
SELECT b.idx,
       COALESCE(SUM(EXTRACT(EPOCH FROM upper(a.period * b.span) - lower(a.period * b.span))), 0)
FROM (
    SELECT idx, tstzrange(lower_bound, upper_bound, '[)') AS span
    FROM unnest(%(idx)s::int[], %(lowers)s::timestamptz[], %(uppers)s::timestamptz[])
        AS d (idx, lower_bound, upper_bound)
) b
LEFT JOIN bookings_truckallocation a
       ON a.company_id = %(company)s AND a.released_at IS NULL AND a.period && b.span
GROUP BY b.idx
"""


def _utilisation(*, company: Company, zone: zoneinfo.ZoneInfo, buckets: list[Bucket]) -> None:
    """Fill each bucket's booked and available truck-hours (one query for the booked ones)."""
    trucks = Truck.objects.filter(company=company, status=Truck.Status.ACTIVE).count()
    workday = Decimal(settings.BOOKING_WORKDAY_HOURS)
    lowers, uppers = [], []
    for bucket in buckets:
        days = (bucket.end - bucket.start).days + 1
        bucket.available_hours = trucks * workday * days
        lowers.append(datetime.combine(bucket.start, time.min, tzinfo=zone))
        uppers.append(datetime.combine(bucket.end + timedelta(days=1), time.min, tzinfo=zone))
    with connection.cursor() as cursor:
        cursor.execute(
            _BOOKED_SECONDS_SQL,
            {
                "idx": list(range(len(buckets))),
                "lowers": lowers,
                "uppers": uppers,
                "company": company.pk,
            },
        )
        for index, seconds in cursor.fetchall():
            buckets[index].booked_hours = Decimal(seconds) / 3600


def _sum(period: Period, buckets: list[Bucket]) -> Bucket:
    total = Bucket(key=period.start, start=period.start, end=period.end)
    statuses: dict[str, int] = defaultdict(int)
    for bucket in buckets:
        total.revenue += bucket.revenue
        for status, count in bucket.by_status.items():
            statuses[status] += count
        total.booked_hours += bucket.booked_hours
        total.available_hours += bucket.available_hours
        total.started += bucket.started
        total.on_time += bucket.on_time
        total.reviews += bucket.reviews
        total.rating_sum += bucket.rating_sum
    total.by_status = dict(statuses)
    return total
