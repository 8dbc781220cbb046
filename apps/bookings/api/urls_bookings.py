"""Bookings: list, detail, events."""

urlpatterns: list = []
