"""scripts/driver_simulator.py: the messages it builds follow the driver protocol."""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tests.live_server import REPO_ROOT


def load_simulator():
    spec = importlib.util.spec_from_file_location(
        "driver_simulator", REPO_ROOT / "scripts" / "driver_simulator.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


simulator = load_simulator()
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
NORTH = ((45.0, 4.0), (45.009, 4.0))  # 0.009 degrees of latitude: 1,000.8 m due north


def test_points_run_evenly_from_start_to_end():
    # Given a line due north split into 10 points, 5 s apart
    start, end = NORTH

    # When the first, a middle and the last messages are built
    first, middle, last = (
        simulator.position_message(
            start=start, end=end, step=step, steps=10, interval_seconds=5, recorded_at=AT
        )
        for step in (0, 3, 9)
    )

    # Then they sit at the start, a third of the way, and the end
    assert (first["lat"], first["lng"]) == (45.0, 4.0)
    assert (middle["lat"], middle["lng"]) == (45.003, 4.0)
    assert (last["lat"], last["lng"]) == (45.009, 4.0)


def test_a_position_message_has_the_protocols_fields():
    # When one message of the northbound line is built
    message = simulator.position_message(
        start=NORTH[0], end=NORTH[1], step=1, steps=10, interval_seconds=5, recorded_at=AT
    )

    # Then it is a `position` with heading north, the line's speed and an offset-aware time
    distance = 2 * simulator.EARTH_RADIUS_M * math.asin(math.sin(math.radians(0.009) / 2))
    assert message == {
        "type": "position",
        "lat": 45.001,
        "lng": 4.0,
        "heading": 0.0,
        "speed": round(distance / 45, 2),
        "accuracy": 5.0,
        "recorded_at": "2026-11-30T09:00:00+00:00",
    }
    assert message["speed"] == 22.24


def test_heading_is_the_bearing_of_the_line():
    # When lines go due east, due south and due west along the equator and a meridian
    def heading(start, end):
        return simulator.position_message(
            start=start, end=end, step=0, steps=2, interval_seconds=1, recorded_at=AT
        )["heading"]

    # Then the headings are 90, 180 and 270 degrees
    assert heading((0.0, 4.0), (0.0, 5.0)) == 90.0
    assert heading((45.0, 4.0), (44.0, 4.0)) == 180.0
    assert heading((0.0, 5.0), (0.0, 4.0)) == 270.0


def test_recorded_at_keeps_its_offset():
    # Given a time in UTC+2
    paris = datetime(2026, 6, 1, 11, 0, tzinfo=timezone(timedelta(hours=2)))

    # When a message is built with it
    message = simulator.position_message(
        start=NORTH[0], end=NORTH[1], step=0, steps=2, interval_seconds=5, recorded_at=paris
    )

    # Then the offset is written out
    assert message["recorded_at"] == "2026-06-01T11:00:00+02:00"


@pytest.mark.parametrize(
    ("step", "steps", "recorded_at"),
    [(0, 1, AT), (2, 2, AT), (-1, 5, AT), (0, 5, datetime(2026, 11, 30, 9, 0))],
)
def test_impossible_points_and_naive_times_are_refused(step, steps, recorded_at):
    with pytest.raises(ValueError):
        simulator.position_message(
            start=NORTH[0], end=NORTH[1], step=step, steps=steps, interval_seconds=5,
            recorded_at=recorded_at,
        )  # fmt: skip


def test_a_backlog_is_one_positions_batch_of_items_without_type():
    # Given three built positions
    items = [
        simulator.position_message(
            start=NORTH[0], end=NORTH[1], step=step, steps=3, interval_seconds=5,
            recorded_at=AT + timedelta(seconds=5 * step),
        )
        for step in range(3)
    ]  # fmt: skip

    # When they are batched
    batch = simulator.positions_message(items)

    # Then the batch keeps their order and fields, minus `type`
    assert batch["type"] == "positions"
    assert [item["recorded_at"] for item in batch["items"]] == [
        "2026-11-30T09:00:00+00:00",
        "2026-11-30T09:00:05+00:00",
        "2026-11-30T09:00:10+00:00",
    ]
    assert all("type" not in item for item in batch["items"])
    assert batch["items"][2] | {"type": "position"} == items[2]


@pytest.mark.parametrize(
    ("base_url", "expected"),
    [
        ("http://127.0.0.1:8000", "ws://127.0.0.1:8000/ws/driver/"),
        ("https://movehub.example/", "wss://movehub.example/ws/driver/"),
    ],
)
def test_the_socket_url_follows_the_base_urls_scheme(base_url, expected):
    assert simulator.websocket_url(base_url) == expected


def test_parse_lat_lng_refuses_out_of_range_points():
    assert simulator.parse_lat_lng("45.764,4.8357") == (45.764, 4.8357)
    with pytest.raises(ValueError):
        simulator.parse_lat_lng("91,4")


@pytest.mark.django_db(transaction=True)
def test_the_simulator_signs_in_drives_and_every_point_is_acked_and_stored(alice, asgi_server):
    # Given a real server and alice's driver on an in-progress job (booking_in: started now)
    from django.utils import timezone as django_timezone

    from apps.bookings.models import Booking
    from apps.tracking.models import Position
    from tests.accounts.factories import TEST_PASSWORD
    from tests.bookings.lifecycle_support import booking_in

    job = booking_in(
        Booking.Status.IN_PROGRESS,
        company=alice,
        start=django_timezone.now() - timedelta(hours=1),
    )

    # When the simulator runs as a command against it: a 2-point backlog, then
    # 2 live points, 0.5 s apart
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "scripts" / "driver_simulator.py"),
            f"--base-url={asgi_server.url}",
            f"--email={alice.driver_user.email}",
            f"--password={TEST_PASSWORD}",
            "--steps=4",
            "--backlog=2",
            "--from=45.7640,4.8357",
            "--to=45.7649,4.8357",  # 100 m: 67 m/s over 1.5 s, within the 90 m/s limit
            "--interval=0.5",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # Then it exits 0 after acks (the backlog's and each live point's) and no error line; the
    # four points are stored, the live ones on the job (the backlog may predate its start)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    socket_url = f"ws://{asgi_server.host}:{asgi_server.port}/ws/driver/"
    assert lines[0] == f"connected to {socket_url} (bearer)"
    assert [line.split()[0] for line in lines[1:]].count("ack") == 3
    assert not [line for line in lines if line.startswith(("error", "other", "closed"))]
    stored = Position.objects.filter(driver=alice.driver).order_by("recorded_at")
    assert len(stored) == 4
    assert [position.booking_id for position in stored[2:]] == [job.pk, job.pk]
