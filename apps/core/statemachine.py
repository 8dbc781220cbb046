"""A small state-machine helper: the transition table is data, one function checks and applies.

Services call `machine.apply(instance, to=...)` (or `machine.require(...)` to check only) under
their row lock; an illegal move raises InvalidTransition (409 `invalid_transition`). Saving, the
history row and side effects stay in the service (docs/architecture.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from apps.core.errors import InvalidTransition


class StateMachine:
    """`transitions` maps each state to the states it may move to (absent: a final state)."""

    def __init__(
        self, *, name: str, transitions: Mapping[str, Iterable[str]], field: str = "status"
    ) -> None:
        self.name = name
        self.field = field
        self._table: dict[str, frozenset[str]] = {
            str(source): frozenset(str(target) for target in targets)
            for source, targets in transitions.items()
        }

    def allows(self, current: str, to: str) -> bool:
        return str(to) in self._table.get(str(current), frozenset())

    def targets(self, current: str) -> frozenset[str]:
        """The states reachable from `current` in one step."""
        return self._table.get(str(current), frozenset())

    def require(self, current: str, *, to: str, message: str | None = None) -> None:
        """Raise InvalidTransition unless `current -> to` is in the table."""
        if not self.allows(current, to):
            raise InvalidTransition(
                message or f"A {self.name} cannot go from {current} to {to}.",
                details={"from": str(current), "to": str(to)},
            )

    def apply(self, instance: Any, *, to: str, message: str | None = None) -> str:
        """Check `instance.<field> -> to`, set it (not saved) and return the previous state."""
        current = getattr(instance, self.field)
        self.require(current, to=to, message=message)
        setattr(instance, self.field, to)
        return current
