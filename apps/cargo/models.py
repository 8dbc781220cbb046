"""Models of apps.cargo: arrive with the cargo issue (see DESIGN.md for their shape)."""
