"""Models of apps.tracking: arrive with the tracking issue (planned: docs/architecture.md)."""
