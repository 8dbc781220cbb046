"""MoveHub's Django apps, one per domain."""
