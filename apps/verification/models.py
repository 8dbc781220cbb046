"""Models of apps.verification: arrive with the verification issue (see DESIGN.md)."""
