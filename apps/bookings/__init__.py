"""Bookings: move requests, quotes, bookings, assignments, events, invoices, reminders."""
