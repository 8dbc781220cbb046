"""Constraint violations as domain errors: matched by constraint name, never by guesswork.

A unique or exclusion constraint a concurrent writer made us violate is a 409 the service
names (`already_exists`, `slot_taken`, ...). Any other IntegrityError is a bug and propagates
(500 with the traceback logged), so a broken invariant is never disguised as a conflict.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from apps.core.errors import ApplicationError

ModelT = TypeVar("ModelT", bound=Model)


def constraint_name(exc: IntegrityError) -> str:
    """The name of the constraint a psycopg IntegrityError violated ('' when unknown)."""
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


@contextmanager
def constraint_errors(conflicts: Mapping[str, ApplicationError]) -> Iterator[None]:
    """Run the block in a savepoint; a violation of a constraint named in `conflicts` raises
    that error instead. Other IntegrityErrors propagate unchanged.

    The savepoint keeps the caller's transaction usable after the refusal.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        error = conflicts.get(constraint_name(exc))
        if error is None:
            raise
        raise error from exc


def save_unless_taken(
    instance: ModelT,
    *,
    taken: QuerySet[Any],
    conflicts: Mapping[str, ApplicationError],
    **save_kwargs: Any,
) -> ModelT:
    """Save `instance` unless a unique value of it is already used (the mapped 409).

    `taken` finds another row holding the value (the friendly check, first error of
    `conflicts`); `conflicts` maps unique constraint names to the error to raise when a
    concurrent writer wins the race and the constraint refuses our row.
    """
    if taken.exclude(pk=instance.pk).exists():
        raise next(iter(conflicts.values()))
    with constraint_errors(conflicts):
        instance.save(**save_kwargs)
    return instance
