"""Models of apps.tracking: arrive with the tracking issue (see DESIGN.md for their shape)."""
