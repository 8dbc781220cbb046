"""REST API of apps.pricing."""
