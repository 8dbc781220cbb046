"""Models of apps.bookings: arrive with the bookings issue (see DESIGN.md for their shape)."""
