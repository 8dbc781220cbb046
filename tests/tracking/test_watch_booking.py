"""The booking socket: who may watch, the shared stream, and the customer's privacy."""

from __future__ import annotations

import pytest

from apps.bookings.models import Booking
from tests.bookings.lifecycle_support import booking_in
from tests.tracking.watch_support import frames, inject, message, position, refused, socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

Status = Booking.Status


@pytest.fixture
def job(alice):
    return booking_in(Status.IN_PROGRESS, company=alice)


@pytest.fixture
def planned_job(alice):
    return booking_in(Status.SCHEDULED, company=alice)


def path_of(booking: Booking) -> str:
    return f"/ws/bookings/{booking.pk}/"


async def test_anonymous_watcher_is_refused_at_the_handshake(job):
    assert await refused(socket(path_of(job)))


async def test_bad_token_is_refused_at_the_handshake(job):
    communicator = socket(f"{path_of(job)}?token=not-a-jwt")
    assert await refused(communicator)


async def test_stranger_from_another_company_is_refused(job, bob):
    assert await refused(socket(path_of(job), bob.owner))


@pytest.fixture
def other_job(alice, job):
    return booking_in(Status.SCHEDULED, company=alice, start=job.scheduled_end)


async def test_customer_of_another_booking_is_refused(job, other_job):
    assert await refused(socket(path_of(job), other_job.customer))


async def test_unknown_booking_is_refused(job):
    assert await refused(socket("/ws/bookings/999999999/", job.customer))


async def test_staff_with_the_bearer_subprotocol_is_accepted_with_it(job, alice):
    communicator = socket(path_of(job), alice.dispatcher, as_subprotocol=True)
    connected, subprotocol = await communicator.connect(timeout=5)
    assert connected
    assert subprotocol == "bearer"
    await communicator.disconnect()


async def test_two_watchers_receive_the_same_stream_in_order(job, alice):
    # given the customer and the dispatcher watching the job
    customer = socket(path_of(job), job.customer)
    dispatcher = socket(path_of(job), alice.dispatcher)
    assert (await customer.connect(timeout=5))[0]
    assert (await dispatcher.connect(timeout=5))[0]
    stream = [position(index, eta_minutes=30 - index) for index in range(5)]
    stream.insert(2, message("On our way"))
    # when the events are broadcast
    for event in stream:
        await inject(job.pk, event)
    # then both receive all of them, in order
    assert await frames(customer, len(stream)) == stream
    assert await frames(dispatcher, len(stream)) == stream
    assert await customer.receive_nothing()
    await customer.disconnect()
    await dispatcher.disconnect()


async def test_customer_sees_no_position_before_the_job_while_staff_do(planned_job, alice):
    customer = socket(path_of(planned_job), planned_job.customer)
    owner = socket(path_of(planned_job), alice.owner)
    assert (await customer.connect(timeout=5))[0]
    assert (await owner.connect(timeout=5))[0]
    # when the truck's position is broadcast before the start, then a message
    await inject(planned_job.pk, position(1))
    await inject(planned_job.pk, message("See you tomorrow"))
    # then the customer only gets the message; staff get both
    assert await frames(customer, 1) == [message("See you tomorrow")]
    assert await frames(owner, 2) == [position(1), message("See you tomorrow")]
    await customer.disconnect()
    await owner.disconnect()


async def test_customer_sees_positions_once_the_job_starts_and_none_after_it_ends(planned_job):
    customer = socket(path_of(planned_job), planned_job.customer)
    assert (await customer.connect(timeout=5))[0]
    started = {"type": "status", "status": "in_progress", "kind": "started"}
    completed = {"type": "status", "status": "completed", "kind": "completed"}
    for event in (position(1), started, position(2), completed, position(3), message("Thanks")):
        await inject(planned_job.pk, event)
    assert await frames(customer, 4) == [started, position(2), completed, message("Thanks")]
    await customer.disconnect()


@pytest.fixture
def done(alice):
    return booking_in(Status.COMPLETED, company=alice)


async def test_customer_of_a_completed_job_sees_no_position_while_staff_do(done, alice):
    customer = socket(path_of(done), done.customer)
    driver = socket(path_of(done), alice.driver_user)
    assert (await customer.connect(timeout=5))[0]
    assert (await driver.connect(timeout=5))[0]
    await inject(done.pk, position(7))
    await inject(done.pk, message("Invoice sent"))
    assert await frames(customer, 1) == [message("Invoice sent")]
    assert await frames(driver, 2) == [position(7), message("Invoice sent")]
    await customer.disconnect()
    await driver.disconnect()


async def test_messages_from_the_watcher_get_an_error_and_the_socket_stays_open(job):
    customer = socket(path_of(job), job.customer)
    assert (await customer.connect(timeout=5))[0]
    await customer.send_json_to({"type": "position", "lat": 1, "lng": 2})
    reply = await customer.receive_json_from(timeout=5)
    assert reply["type"] == "error"
    assert reply["code"] == "read_only"
    await inject(job.pk, position(3))
    assert await frames(customer, 1) == [position(3)]
    await customer.disconnect()
