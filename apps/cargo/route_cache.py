"""Route-search cache invalidation: the interface the cargo services call (search fills it in).

`routes_invalidate(trip=...)` is called after commit whenever a trip's remaining capacity or
status changes (publish, reserve, cancel, depart, arrive). Until route search caches results it
does nothing.
"""

from __future__ import annotations

from typing import Any


def routes_invalidate(*, trip: Any) -> None:
    """Bump the cache versions of every search the trip can appear in (a no-op until search)."""
