"""Models of apps.cargo: arrive with the cargo issue (planned: docs/architecture.md)."""
