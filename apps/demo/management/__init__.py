"""Management commands of apps.demo."""
