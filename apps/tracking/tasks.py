"""Background jobs of tracking (thin: call a service, idempotent)."""

from __future__ import annotations

from celery import shared_task

from apps.tracking.services import positions_retention_apply


@shared_task
def tracking_positions_retention_task() -> dict[str, int]:
    """Nightly (beat): thin old positions to one a minute per driver, delete expired ones."""
    return positions_retention_apply()
