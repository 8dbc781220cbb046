"""MoveHub project package: settings, URLs, ASGI/Celery entry points."""

from movehub.celery import app as celery_app

__all__ = ["celery_app"]
