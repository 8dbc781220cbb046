"""Error locations -> the one `details` shape of the API (DRF's own), in plain Python.

A location is a tuple of parts, as pydantic reports them: a `str` is an object key, an `int`
a list index. `("inventory", 1, "quantity")` becomes `{"inventory": [{}, {"quantity": [..]}]}`:
objects map field -> messages, lists hold one entry per item (`{}` for an item without errors),
and a message about an object (or list) itself goes under `non_field_errors` when that object
also has errors inside it, exactly as DRF nests serializer errors.

No Django here: the pricing engine (Django-free) builds its errors with it too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

Loc = tuple[str | int, ...]

NON_FIELD_ERRORS = "non_field_errors"


class _Node:
    __slots__ = ("children", "messages")

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.children: dict[str | int, _Node] = {}

    def render(self) -> Any:
        if not self.children:
            return list(self.messages)
        if all(isinstance(key, int) for key in self.children):
            indexes = {int(key): child for key, child in self.children.items()}
            items: list[Any] = [{} for _ in range(max(indexes) + 1)]
            for index, child in indexes.items():
                items[index] = child.render()
            if not self.messages:
                return items
            rendered: dict[str, Any] = {str(i): item for i, item in enumerate(items) if item}
        else:
            rendered = {str(key): child.render() for key, child in self.children.items()}
        if self.messages:
            rendered[NON_FIELD_ERRORS] = list(self.messages) + rendered.get(NON_FIELD_ERRORS, [])
        return rendered


def nest_errors(errors: Mapping[Loc, Iterable[str]] | Iterable[tuple[Loc, str]]) -> dict[str, Any]:
    """Nested `details` from {location: [messages]} or [(location, message), ...].

    The empty location (the whole input) is reported under `non_field_errors`.
    """
    pairs: Iterable[tuple[Loc, str]]
    if isinstance(errors, Mapping):
        pairs = [(loc, message) for loc, messages in errors.items() for message in messages]
    else:
        pairs = errors
    root = _Node()
    for loc, message in pairs:
        node = root
        for part in loc:
            node = node.children.setdefault(part, _Node())
        node.messages.append(str(message))
    if not root.children:
        return {NON_FIELD_ERRORS: root.messages} if root.messages else {}
    rendered = root.render()
    if isinstance(rendered, list):  # a top-level list input: keep DRF's shape for it
        return {NON_FIELD_ERRORS: rendered}
    return rendered


def dotted(loc: Loc) -> str:
    """("surcharges", 2, "per_flight") -> "surcharges.2.per_flight" (for logs and messages)."""
    return ".".join(str(part) for part in loc)
