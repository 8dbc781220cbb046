"""`make run`'s demo driver: drives seed_demo's job on the road, so its truck moves on the map."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command

from apps.bookings.demo import ON_THE_ROAD_FROM, ON_THE_ROAD_TO
from apps.bookings.models import Booking, TruckAllocation
from apps.tracking.models import Position, TruckLastPosition
from tests.bookings.quoting import catalogue
from tests.live_server import REPO_ROOT

__all__ = ["catalogue"]

SCRIPT = REPO_ROOT / "scripts" / "demo_driver.py"


def test_the_route_is_the_demo_jobs_route(monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))
    import demo_driver

    route = [tuple(float(part) for part in end.split(",")) for end in demo_driver.ROUTE]
    assert route == [ON_THE_ROAD_FROM, ON_THE_ROAD_TO]


def test_it_refuses_a_server_that_is_not_local():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--base-url", "http://movehub.example", "--exit-when-done"],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 2
    assert "must be a loopback address" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_the_demo_driver_moves_the_truck_of_the_job_on_the_road(catalogue, asgi_server):
    # Given the demo data, committed, and a real server on it
    call_command("seed_demo", stdout=io.StringIO())
    job = Booking.objects.get(status=Booking.Status.IN_PROGRESS)
    truck = TruckAllocation.objects.get(booking=job, released_at__isnull=True).truck

    # When the demo driver drives one short leg and exits
    result = subprocess.run(
        [
            sys.executable, str(SCRIPT), "--base-url", asgi_server.url, "--legs", "1",
            "--route", "45.7578,4.8320:45.7578,4.8325", "--steps", "3", "--interval", "0.5",
            "--exit-when-done",
        ],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    # Then every position was stored on the job, and the truck is at the leg's end
    assert result.returncode == 0, result.stdout + result.stderr
    assert Position.objects.filter(booking=job, truck=truck).count() == 3
    last = TruckLastPosition.objects.get(truck=truck)
    assert (round(last.point.y, 6), round(last.point.x, 6)) == (45.7578, 4.8325)
    assert "demo driver: done after 1 legs." in result.stdout
