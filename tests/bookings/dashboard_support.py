"""Helpers of the staff Bookings and Schedule page tests: signed-in clients, local form times."""

from __future__ import annotations

from datetime import datetime

from django.test import Client

from tests.bookings.scheduling import PARIS


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def local(moment: datetime) -> str:
    """A datetime-local field's value: the company's (Paris) wall time, to the minute."""
    return moment.astimezone(PARIS).strftime("%Y-%m-%dT%H:%M")


def page(booking) -> str:
    return f"/dashboard/bookings/{booking.id}/"


def action(booking, name: str) -> str:
    return f"/dashboard/bookings/{booking.id}/{name}/"
