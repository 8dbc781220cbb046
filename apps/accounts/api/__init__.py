"""REST API of apps.accounts."""
