"""Driver messages: validation keeps the socket open and stores nothing invalid; batches,
ordering, duplicates and the per-connection rate limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.bookings.lifecycle_support import booking_in
from tests.tracking.ingest_support import (
    connected_driver,
    item,
    position,
    receive,
    stored,
    wait_for_rows,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def fast_flush(settings):
    settings.TRACKING_FLUSH_SECONDS = 0.05


@pytest.fixture
def on_duty(alice):
    """Alice's driver has a live allocation (so a truck), none in progress."""
    booking_in("scheduled", company=alice, start=timezone.now() - timedelta(hours=1))
    return alice


BAD_POSITIONS = [
    ({"lat": 91}, {"lat": ["Between -90 and 90."]}),
    ({"lng": -180.5}, {"lng": ["Between -180 and 180."]}),
    ({"lat": True}, {"lat": ["A number is required."]}),
    ({"lng": "2.35"}, {"lng": ["A number is required."]}),
    ({"heading": 360}, {"heading": ["[0, 360)."]}),
    ({"speed": 90.5}, {"speed": ["In [0, 90] m/s."]}),
    ({"speed": -1}, {"speed": ["In [0, 90] m/s."]}),
    ({"accuracy": 0}, {"accuracy": ["In (0, 10000] m."]}),
    ({"lat": None}, {"lat": ["This field is required."]}),
]


@pytest.mark.parametrize(("override", "details"), BAD_POSITIONS)
async def test_an_invalid_position_gets_an_error_stores_nothing_and_the_socket_stays_open(
    on_duty, override, details
):
    driver = await connected_driver(on_duty.driver_user)
    now = timezone.now()

    await driver.send_json_to({**position(now), **override})

    assert await receive(driver) == {
        "type": "error",
        "code": "invalid",
        "message": "The position is invalid.",
        "details": details,
    }
    await driver.send_json_to(position(now + timedelta(seconds=1)))
    assert await receive(driver) == {
        "type": "ack",
        "last": (now + timedelta(seconds=1)).isoformat(),
    }
    assert [row["recorded_at"] for row in await stored()] == [now + timedelta(seconds=1)]
    await driver.disconnect()


@pytest.mark.parametrize(
    ("recorded_at", "message"),
    [
        ("2026-01-01T10:00:00", "An ISO 8601 date-time with a UTC offset is required."),
        ("yesterday", "An ISO 8601 date-time with a UTC offset is required."),
        (12345, "An ISO 8601 date-time with a UTC offset is required."),
        ("FUTURE", "More than 2 minutes in the future."),
        ("OLD", "Older than 24 hours."),
    ],
)
async def test_recorded_at_needs_an_offset_and_a_recent_time(on_duty, recorded_at, message):
    driver = await connected_driver(on_duty.driver_user)
    now = timezone.now()
    if recorded_at == "FUTURE":
        recorded_at = (now + timedelta(minutes=3)).isoformat()
    elif recorded_at == "OLD":
        recorded_at = (now - timedelta(hours=24, minutes=1)).isoformat()

    await driver.send_json_to({**position(now), "recorded_at": recorded_at})

    reply = await receive(driver)
    assert reply["code"] == "invalid"
    assert reply["details"] == {"recorded_at": [message]}
    assert await stored() == []
    await driver.disconnect()


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("{not json", "Malformed JSON."),
        ('["position"]', "A message must be a JSON object."),
        ('{"type": "hello"}', 'Unknown message type: send "position" or "positions".'),
        ('{"type": "positions", "items": []}', "`items` must be a non-empty list."),
    ],
)
async def test_malformed_or_unknown_messages_get_an_error_and_the_socket_stays_open(
    on_duty, frame, message
):
    driver = await connected_driver(on_duty.driver_user)

    await driver.send_to(text_data=frame)

    reply = await receive(driver)
    assert (reply["type"], reply["code"], reply["message"]) == ("error", "invalid", message)
    now = timezone.now()
    await driver.send_json_to(position(now))
    assert await receive(driver) == {"type": "ack", "last": now.isoformat()}
    await driver.disconnect()


async def test_more_than_500_items_are_refused_whole(on_duty):
    driver = await connected_driver(on_duty.driver_user)
    now = timezone.now()
    items = [item(now - timedelta(seconds=n)) for n in range(501)]

    await driver.send_json_to({"type": "positions", "items": items})

    reply = await receive(driver)
    assert (reply["code"], reply["details"]) == ("invalid", {"items": ["At most 500 items."]})
    assert await stored() == []
    await driver.disconnect()


async def test_a_bad_item_in_a_batch_is_reported_and_the_good_ones_are_stored(on_duty):
    driver = await connected_driver(on_duty.driver_user)
    now = timezone.now()
    items = [item(now - timedelta(seconds=2)), item(now, lat=200), item(now - timedelta(seconds=1))]

    await driver.send_json_to({"type": "positions", "items": items})

    assert await receive(driver) == {
        "type": "error",
        "code": "invalid",
        "message": "Some items are invalid; the others are kept.",
        "details": {"items": [{}, {"lat": ["Between -90 and 90."]}, {}]},
    }
    assert await receive(driver) == {
        "type": "ack",
        "last": (now - timedelta(seconds=1)).isoformat(),
    }
    assert [row["recorded_at"] for row in await stored()] == [
        now - timedelta(seconds=2),
        now - timedelta(seconds=1),
    ]
    await driver.disconnect()


async def test_a_backlog_is_stored_in_time_order_and_duplicates_are_ignored_but_acked(on_duty):
    driver = await connected_driver(on_duty.driver_user)
    now = timezone.now()
    times = [now - timedelta(minutes=minutes) for minutes in (3, 10, 1, 7)]
    await driver.send_json_to({"type": "positions", "items": [item(at) for at in times]})
    assert await receive(driver) == {"type": "ack", "last": times[2].isoformat()}

    # The app resends part of the backlog (it never saw the ack) plus one new fix.
    resent = [item(times[1], lat=10.0), item(now)]
    await driver.send_json_to({"type": "positions", "items": resent})

    assert await receive(driver) == {"type": "ack", "last": now.isoformat()}
    rows = await stored()
    assert [row["recorded_at"] for row in rows] == sorted([*times, now])
    assert [row["lat"] for row in rows] == [48.85] * 5  # the first copy kept, not the resent one
    await driver.disconnect()


async def test_messages_over_the_rate_limit_are_refused_without_a_disconnect(on_duty, settings):
    settings.TRACKING_DRIVER_MESSAGES_PER_SECOND = 0.001  # no refill within the test
    settings.TRACKING_DRIVER_MESSAGES_BURST = 2
    driver = await connected_driver(on_duty.driver_user)
    now = timezone.now()

    for n in range(4):
        await driver.send_json_to(position(now + timedelta(seconds=n)))

    replies = [await receive(driver) for _ in range(4)]
    throttled = [reply for reply in replies if reply["type"] == "error"]
    acks = [reply for reply in replies if reply["type"] == "ack"]
    assert [reply["code"] for reply in throttled] == ["throttled", "throttled"]
    assert [reply["last"] for reply in acks] == [
        now.isoformat(),
        (now + timedelta(seconds=1)).isoformat(),
    ]
    assert len(await wait_for_rows(2)) == 2
    assert await driver.receive_nothing(timeout=0.2)
    await driver.disconnect()


async def test_a_driver_without_any_allocation_gets_no_truck_and_nothing_is_stored(alice):
    driver = await connected_driver(alice.driver_user)

    await driver.send_json_to(position(timezone.now()))

    reply = await receive(driver)
    assert (reply["type"], reply["code"], reply["details"]) == ("error", "no_truck", {"count": 1})
    assert await driver.receive_nothing(timeout=0.2)
    assert await stored() == []
    await driver.disconnect()
