"""The README's booking walk (docs/booking-walk.sh) runs against a real server on the demo data,
and the README shows exactly the script's steps, so the two cannot drift apart."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from pypdf import PdfReader

from apps.bookings.demo import NOTE_PREFIX as DEMO_JOB
from apps.bookings.models import Booking, Invoice
from tests.live_server import database_url_for

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "docs" / "booking-walk.sh"
WALK = re.compile(r"^# --- walk begins\n.*?^# --- walk ends\n", re.MULTILINE | re.DOTALL)


def walk_steps(text: str) -> str:
    match = WALK.search(text)
    assert match is not None, "no '# --- walk begins' ... '# --- walk ends' block"
    return match.group(0)


@pytest.fixture
def walk_server(asgi_server_factory):
    """A real server on the test database whose Celery messages go to a queue of their own
    (nothing consumes it; deleted afterwards), never the shared default queue."""
    queue = f"test-walk-{uuid.uuid4().hex}"
    yield asgi_server_factory(CELERY_TASK_DEFAULT_QUEUE=queue)
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete(queue)
    client.close()


@pytest.mark.django_db(transaction=True)
def test_the_readme_walk_books_a_move_from_request_to_invoice_pdf(catalogue, walk_server, tmp_path):
    # Given the demo data and the inventory catalogue (its migration's rows; a transactional
    # test before this one may have flushed them), committed, and a real server on it
    call_command("seed_demo", stdout=io.StringIO())

    # When the walk runs as the README says, the customer signing in through the dev outbox
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=ROOT,
        env={
            **os.environ,
            "BASE_URL": walk_server.url,
            "MANAGE": f"{sys.executable} manage.py",
            "DJANGO_SETTINGS_MODULE": "movehub.settings.test",
            "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]),
            "OUT_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )

    # Then every step answered as expected and one booking went all the way
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{walk_server.log()}"
    booking = Booking.objects.exclude(move_request__notes__startswith=DEMO_JOB).get()  # the walk's
    assert booking.status == Booking.Status.COMPLETED
    assert booking.handover_verified is True
    assert booking.started_at is not None
    invoice = Invoice.objects.get(booking=booking)
    # the company's next number, after its demo history's invoices (gapless from 1)
    assert invoice.number == Invoice.objects.filter(company=booking.company).count() > 1
    assert invoice.total == booking.total
    lines = result.stdout.splitlines()
    assert f"booking {booking.pk}: confirmed, handover code {booking.handover_code}" in lines
    assert lines[-5:-1] == [
        "scheduled",
        "in_progress",
        "completed",
        f"invoice {invoice.number}: {invoice.total} {invoice.currency}, "
        f"{invoice.lines.count()} lines",
    ]
    pdf = tmp_path / f"invoice-{booking.pk}.pdf"
    assert lines[-1] == f"PDF: {pdf}"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert booking.company.name in text


def test_the_readme_shows_the_walk_exactly_as_the_script_runs_it():
    readme = (ROOT / "README.md").read_text()

    assert walk_steps(SCRIPT.read_text()) in readme
    assert "[docs/booking-walk.sh](docs/booking-walk.sh)" in readme


def test_walk_steps_are_found_between_the_markers_only():
    text = "set -e\n# --- walk begins\ncall GET /x/ 200\n# --- walk ends\necho after\n"

    assert walk_steps(text) == "# --- walk begins\ncall GET /x/ 200\n# --- walk ends\n"
