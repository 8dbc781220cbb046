"""Domain errors of the companies app (the shared ones live in apps.core.errors)."""

from __future__ import annotations

from apps.core.errors import AlreadyExists

__all__ = ["AlreadyExists"]
