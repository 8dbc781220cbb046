"""REST API of apps.companies."""
