"""Fixtures of the bookings tests (defined in tests/bookings/quoting.py beside their helpers)."""

from tests.bookings.quoting import catalogue, customer, customer_client, priced

__all__ = ["catalogue", "customer", "customer_client", "priced"]
