"""The one race harness: run actions in real threads released together, report every failure."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connections

BARRIER_TIMEOUT_SECONDS = 10


class RaceFailed(AssertionError):
    """One or more threads raised an unexpected exception, or never finished."""


def race(
    actions: Sequence[Callable[[], Any]],
    *,
    expected: tuple[type[BaseException], ...] = (),
    timeout: float = 60,
) -> list[Any]:
    """Run each action in its own thread, all released at once by a barrier; their results in
    the order of `actions`.

    An exception of a type in `expected` is returned in place of that action's result (a race
    that is meant to be lost by raising a domain error). Any other exception, in any thread,
    fails the test with every thread's error listed (the first one chained), so no thread's
    error is lost. Each thread closes its own database connections: Django opens one per
    thread, and an open one would keep the test database from being flushed or dropped.
    """
    count = len(actions)
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[tuple[int, BaseException]] = []

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
            results[index] = action()
        except expected as exc:
            results[index] = exc
        except BaseException as exc:  # reported in the test's own thread, below
            errors.append((index, exc))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, action), name=f"race-{index}", daemon=True)
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if errors or stuck:
        lines = [f"thread {index} raised {exc!r}" for index, exc in sorted(errors, key=_first)]
        lines += [f"{name} still running after {timeout} s" for name in stuck]
        failure = RaceFailed("; ".join(lines))
        if errors:
            raise failure from sorted(errors, key=_first)[0][1]
        raise failure
    return results


def race_same(count: int, action: Callable[[], Any], **options: Any) -> list[Any]:
    """`race` with the same action in `count` threads."""
    return race([action] * count, **options)


def _first(item: tuple[int, BaseException]) -> int:
    return item[0]
