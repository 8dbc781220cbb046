"""Models of apps.bookings: arrive with the bookings issue (planned: docs/architecture.md)."""
