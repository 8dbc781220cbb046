"""Management commands of apps.accounts."""
