"""Errors of verification (the shared family in apps.core.errors has them all so far)."""

from apps.core.errors import PayloadTooLarge

__all__ = ["PayloadTooLarge"]
