"""The shared-loads walk (docs/cargo-walk.sh) runs against a real server on the demo data, twice
in a row as on a developer's `make run`, and leaves the demo trips as they were."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from apps.accounts.demo import CUSTOMER_PHONE
from apps.accounts.models import User
from apps.accounts.services import tokens_issue
from apps.cargo.demo import WALK_TRUCK_PLATE
from apps.cargo.models import Shipment, ShipmentStatus, Trip, TripStatus
from tests.bookings.quoting import catalogue
from tests.live_server import database_url_for

__all__ = ["catalogue"]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "cargo-walk.sh"
PARIS = ZoneInfo("Europe/Paris")


def paris(moment: datetime) -> str:
    return moment.astimezone(PARIS).strftime("%a %H:%M")


@pytest.fixture
def walk_server(asgi_server_factory):
    """A real server on the test database whose Celery messages go to a queue of their own
    (nothing consumes it; deleted afterwards), never the shared default queue."""
    queue = f"test-cargo-walk-{uuid.uuid4().hex}"
    yield asgi_server_factory(CELERY_TASK_DEFAULT_QUEUE=queue)
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(queue)
    client.close()


def walk(server, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=ROOT,
        env={
            **os.environ,
            "BASE_URL": server.url,
            "MANAGE": f"{sys.executable} manage.py",
            "DJANGO_SETTINGS_MODULE": "movehub.settings.test",
            "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def expected_lines(trip: Trip, *, booked: Shipment, delivered: Shipment) -> list[str]:
    """What the walk prints after the demo routes, for its trip and its two shipments."""
    return [
        f"trip {trip.pk}: LYS -> PAR, {paris(trip.departs_at)}, 10.000 m3 scheduled",
        "slot_taken",
        f"found trip {trip.pk}",
        f"shipment {booked.reference}: BOOKED, 45.00 EUR",
        f"capacity_exhausted {json.dumps({'trip': trip.pk, 'leg': 1})}",
        "CANCELLED",
        "invalid_transition",
        "sold 1.500 of 10.000 m3",
        "trip departed, shipment DEPARTED",
        "trip arrived, shipment ARRIVED",
        "DELIVERED",
        "events: BOOKED@LYS DEPARTED@LYS ARRIVED@PAR DELIVERED@PAR",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_cargo_walk_runs_twice_on_the_demo_data(catalogue, walk_server):
    # Given the demo data, committed, and a real server on it
    call_command("seed_demo", stdout=io.StringIO())
    demo_trips = {trip.pk: (trip.status, trip.sold_m3) for trip in Trip.objects.all()}
    tomorrow = (datetime.now(PARIS) + timedelta(days=1)).date()

    # When the walk runs as the docs say (the customer signing in through the dev outbox)
    first = walk(walk_server)

    # Then every step answered as expected, on a trip of its own
    assert first.returncode == 0, f"{first.stdout}\n{first.stderr}\n{walk_server.log()}"
    trip = Trip.objects.exclude(pk__in=demo_trips).get()
    assert (trip.truck.plate, trip.status, trip.sold_m3) == (
        WALK_TRUCK_PLATE,
        TripStatus.ARRIVED,
        Decimal("1.500"),
    )
    cancelled, delivered = Shipment.objects.filter(legs__trip=trip).order_by("pk")
    assert (cancelled.status, delivered.status) == (
        ShipmentStatus.CANCELLED,
        ShipmentStatus.DELIVERED,
    )
    assert trip.departs_at - datetime.now(PARIS) > timedelta(hours=24)
    demo_day = f"{tomorrow:%a}"
    next_day = f"{tomorrow + timedelta(days=1):%a}"
    assert first.stdout.splitlines() == [
        "hubs: DIJ LYS MRS PAR",
        f"LYS {demo_day} 10:30 -> PAR {demo_day} 15:30: 45.00 EUR",
        f"LYS {demo_day} 08:00 -> DIJ {demo_day} 10:30, DIJ {demo_day} 13:00 -> PAR {demo_day} "
        "16:30: 60.00 EUR",
        f"LYS {demo_day} 08:00 -> DIJ {demo_day} 10:30, DIJ {next_day} 13:00 -> PAR {next_day} "
        "16:30: 60.00 EUR",
        *expected_lines(trip, booked=cancelled, delivered=delivered),
    ]
    # and the demo trips were only searched, never booked nor moved
    assert {
        trip.pk: (trip.status, trip.sold_m3) for trip in Trip.objects.filter(pk__in=demo_trips)
    } == demo_trips

    # When it runs again (a signed-in customer this time), the truck being on the first trip
    customer = User.objects.get(phone=CUSTOMER_PHONE)
    second = walk(walk_server, CUSTOMER_TOKEN=tokens_issue(user=customer)["access"])

    # Then it took the truck's next free hour after the first trip and went all the way too
    assert second.returncode == 0, f"{second.stdout}\n{second.stderr}\n{walk_server.log()}"
    again = Trip.objects.exclude(pk__in=[*demo_trips, trip.pk]).get()
    assert again.departs_at == trip.arrives_at
    assert again.status == TripStatus.ARRIVED
    cancelled, delivered = Shipment.objects.filter(legs__trip=again).order_by("pk")
    assert second.stdout.splitlines()[4:] == expected_lines(
        again, booked=cancelled, delivered=delivered
    )


def sample_lines(script: str) -> list[str]:
    """The walk's sample output: comment lines right after a command (or after another one)."""
    samples: list[str] = []
    previous = ""
    for line in script.splitlines():
        is_comment = line.startswith("# ") and not line.startswith("# --- ")
        after_command = previous.strip() != "" and not previous.startswith("#")
        if is_comment and (after_command or (samples and previous == f"# {samples[-1]}")):
            samples.append(line[2:])
        previous = line
    return samples


def test_the_docs_show_the_output_the_script_samples():
    script = SCRIPT.read_text()
    docs = (ROOT / "docs" / "cargo.md").read_text()
    walk_section = docs[docs.index("## A walk with curl") :]
    shown = walk_section.split("one short line per step:\n\n```\n", 1)[1].split("```", 1)[0]

    assert "[cargo-walk.sh](cargo-walk.sh)" in walk_section
    assert shown.splitlines() == sample_lines(script)
    assert len(shown.splitlines()) == 16
    # the README's "Shared loads" section shows the same sample
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Shared loads") :]
    in_readme = section.split("```text\n", 1)[1].split("```", 1)[0]
    assert in_readme.splitlines() == sample_lines(script)
