"""Fixtures of the cargo tests: a customer and alice's assignable truck (tests/cargo/support.py)."""

from tests.bookings.quoting import customer, customer_client
from tests.cargo.support import carrier, hubs

__all__ = ["carrier", "customer", "customer_client", "hubs"]
