"""REST API of tracking."""
