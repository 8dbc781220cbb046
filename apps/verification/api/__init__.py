"""REST API of apps.verification."""
