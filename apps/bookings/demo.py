"""Demo jobs for seed_demo: the staffed demo company's work of today and tomorrow.

Made through the same services as the API (a customer's move request and its instant quotes,
the customer accepting this company's quote, the dispatcher scheduling it, the driver starting
it), so every dashboard page shows real rows: a job on the road now (the demo driver simulator
moves its truck), the next one five hours from now, one tomorrow at 09:00, and a confirmed
one still to schedule.
The crew stays free from one to five hours from now, when docs/booking-walk.sh schedules its
move on the same demo company (the walk and its test run right after a seed).

Idempotent per day: a job is found by the customer, its move date and its demo key (in the
request's notes). Demo jobs left in progress from an earlier day are completed first, with the
customer's handover code, so their invoices exist and the trucks are free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

import structlog
from django.utils import timezone

from apps.accounts.models import User
from apps.bookings.accept_services import quote_accept
from apps.bookings.lifecycle_services import booking_complete, booking_start
from apps.bookings.models import Booking, DriverAllocation
from apps.bookings.request_services import move_request_create
from apps.bookings.schedule_selectors import company_zone
from apps.bookings.schedule_services import booking_schedule
from apps.companies.models import Company, Driver, Truck
from apps.core.errors import ApplicationError
from apps.pricing.api.serializers import MoveRequestInput

logger = structlog.get_logger(__name__)

NOTE_PREFIX = "Demo job"
# The on-the-road job's ends: the demo driver simulator (`make run`) drives between them.
ON_THE_ROAD_FROM = (45.7578, 4.8320)  # Place Bellecour, Lyon
ON_THE_ROAD_TO = (45.7719, 4.8902)  # Villeurbanne


@dataclass(frozen=True)
class DemoJob:
    key: str
    day_offset: int
    origin: tuple[float, float]
    origin_address: str
    destination: tuple[float, float]
    destination_address: str
    inventory: list[dict[str, Any]]
    truck_index: int | None  # None: left confirmed, to schedule
    start: str  # "now-2h", "now+5h" or "09:00" (company local time)
    hours: int = 4
    start_it: bool = False


JOBS = [
    DemoJob(
        key="on the road",
        day_offset=0,
        origin=ON_THE_ROAD_FROM,
        origin_address="2 Place Bellecour, 69002 Lyon",
        destination=ON_THE_ROAD_TO,
        destination_address="5 Cours Émile Zola, 69100 Villeurbanne",
        inventory=[{"item": "sofa_3seat", "quantity": 1}, {"item": "box_medium", "quantity": 25}],
        truck_index=0,
        start="now-2h",
        hours=3,
        start_it=True,
    ),
    DemoJob(
        key="next",
        day_offset=0,
        origin=(45.7485, 4.8467),
        origin_address="14 Rue de Marseille, 69007 Lyon",
        destination=(45.7262, 4.8199),
        destination_address="40 Avenue Jean Jaurès, 69007 Lyon",
        inventory=[{"item": "armchair", "quantity": 2}, {"item": "box_small", "quantity": 15}],
        truck_index=1,
        start="now+5h",
        hours=3,
    ),
    DemoJob(
        key="tomorrow",
        day_offset=1,
        origin=(45.7676, 4.8344),
        origin_address="8 Rue de la République, 69001 Lyon",
        destination=(45.7797, 4.8059),
        destination_address="3 Quai Pierre Scize, 69009 Lyon",
        inventory=[{"item": "sofa_2seat", "quantity": 1}, {"item": "box_large", "quantity": 10}],
        truck_index=0,
        start="09:00",
    ),
    DemoJob(
        key="to schedule",
        day_offset=2,
        origin=(45.7606, 4.8590),
        origin_address="20 Rue Garibaldi, 69006 Lyon",
        destination=(45.7340, 4.8700),
        destination_address="11 Avenue Berthelot, 69008 Lyon",
        inventory=[{"item": "box_medium", "quantity": 30}],
        truck_index=None,
        start="09:00",
    ),
]


def _start(job: DemoJob, *, now: datetime, company: Company) -> datetime:
    zone = company_zone(company)
    if job.start.startswith("now"):
        hours = int(job.start[3:].removesuffix("h"))
        quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
        return quarter + timedelta(hours=hours)
    hour, minute = (int(part) for part in job.start.split(":"))
    day = now.astimezone(zone).date() + timedelta(days=job.day_offset)
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _note(job: DemoJob) -> str:
    return f"{NOTE_PREFIX} ({job.key}). Ring at the front desk; the lift is small."


def _finish_stale_jobs(*, company: Company, customer: User, before: datetime) -> None:
    """Complete the demo jobs an earlier seed left in progress (with the customer's code)."""
    stale = Booking.objects.filter(
        company=company,
        customer=customer,
        status=Booking.Status.IN_PROGRESS,
        scheduled_end__lt=before,
        move_request__notes__startswith=NOTE_PREFIX,
    )
    for booking in stale:
        allocation = DriverAllocation.objects.filter(
            booking=booking, released_at__isnull=True
        ).first()
        if allocation is None:
            continue
        booking_complete(
            booking=booking,
            actor=allocation.driver.membership.user,
            handover_code=booking.handover_code,
        )


def demo_jobs_ensure(
    *, company: Company, customer: User, dispatcher: User, now: datetime | None = None
) -> list[Booking]:
    """The company's demo jobs (see JOBS) for today and the next two days; returns them."""
    now = now or timezone.now()
    _finish_stale_jobs(company=company, customer=customer, before=now)
    trucks = list(Truck.objects.filter(company=company).order_by("plate"))
    driver = Driver.objects.filter(company=company).select_related("membership__user").first()
    if not trucks or driver is None:
        return []
    bookings = []
    for job in JOBS:
        start = _start(job, now=now, company=company)
        # A job that started before midnight is still today's move (a move date is never past).
        move_date = max(start, now).astimezone(company_zone(company)).date()
        existing = Booking.objects.filter(
            company=company,
            customer=customer,
            move_request__move_date=move_date,
            move_request__notes=_note(job),
        ).first()
        if existing is not None:
            bookings.append(existing)
            continue
        try:
            bookings.append(
                _job_create(
                    job,
                    company=company,
                    customer=customer,
                    dispatcher=dispatcher,
                    truck=trucks[min(job.truck_index or 0, len(trucks) - 1)],
                    driver=driver,
                    start=start,
                    move_date=move_date,
                )
            )
        except ApplicationError as error:  # e.g. the slot is taken by a job of an earlier seed
            logger.warning(
                "demo_job_skipped", key=job.key, reason=error.message, details=error.details
            )
    return bookings


def _job_create(
    job: DemoJob,
    *,
    company: Company,
    customer: User,
    dispatcher: User,
    truck: Truck,
    driver: Driver,
    start: datetime,
    move_date: Any,
) -> Booking:
    body = {
        "origin": {"lat": job.origin[0], "lng": job.origin[1]},
        "destination": {"lat": job.destination[0], "lng": job.destination[1]},
        "origin_address": job.origin_address,
        "destination_address": job.destination_address,
        "move_date": move_date.isoformat(),
        "inventory": job.inventory,
        "stairs_origin": 1,
        "notes": _note(job),
    }
    serializer = MoveRequestInput(data=body)
    serializer.is_valid(raise_exception=True)
    _request, quotes = move_request_create(customer=customer, data=serializer.validated_data)
    quote = next((q for q in quotes if q.company_id == company.pk), None)
    if quote is None:
        raise ApplicationError(f"{company.name} did not quote the demo job.")
    booking = quote_accept(customer=customer, quote_id=quote.pk)
    if job.truck_index is None:
        return booking
    end = start + timedelta(hours=job.hours)
    booking = booking_schedule(
        booking=booking,
        actor=dispatcher,
        truck_id=truck.pk,
        driver_ids=[driver.pk],
        start=start,
        end=end,
    )
    if job.start_it:
        booking = booking_start(booking=booking, actor=driver.membership.user)
    return booking
