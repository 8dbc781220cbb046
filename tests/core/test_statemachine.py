"""The state-machine helper: a table as data, one check-and-apply, InvalidTransition (409)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.core.errors import InvalidTransition
from apps.core.statemachine import StateMachine
from apps.verification.models import DOCUMENT_LIFECYCLE

BOOKING = StateMachine(
    name="booking",
    transitions={
        "confirmed": ["scheduled", "cancelled"],
        "scheduled": ["scheduled", "in_progress", "cancelled"],
        "in_progress": ["completed"],
    },
)


def test_an_allowed_transition_is_applied_and_the_previous_state_returned():
    booking = SimpleNamespace(status="confirmed")

    previous = BOOKING.apply(booking, to="scheduled")

    assert (previous, booking.status) == ("confirmed", "scheduled")


def test_an_illegal_transition_raises_a_409_and_leaves_the_state_alone():
    booking = SimpleNamespace(status="completed")

    with pytest.raises(InvalidTransition) as raised:
        BOOKING.apply(booking, to="cancelled")

    assert booking.status == "completed"
    assert raised.value.status_code == 409
    assert raised.value.code == "invalid_transition"
    assert raised.value.message == "A booking cannot go from completed to cancelled."
    assert raised.value.details == {"from": "completed", "to": "cancelled"}


def test_a_custom_message_and_field_are_used():
    shipment = SimpleNamespace(state="BOOKED")
    machine = StateMachine(name="shipment", transitions={"BOOKED": ["DEPARTED"]}, field="state")

    with pytest.raises(InvalidTransition, match=r"^Too late$"):
        machine.apply(shipment, to="DELIVERED", message="Too late")
    machine.apply(shipment, to="DEPARTED")

    assert shipment.state == "DEPARTED"
    assert machine.targets("DEPARTED") == frozenset()


def test_the_document_lifecycle_table():
    assert DOCUMENT_LIFECYCLE.targets("pending") == {"approved", "rejected", "expired"}
    assert DOCUMENT_LIFECYCLE.targets("approved") == {"superseded", "expired"}
    for final in ("rejected", "expired", "superseded"):
        assert DOCUMENT_LIFECYCLE.targets(final) == frozenset()
