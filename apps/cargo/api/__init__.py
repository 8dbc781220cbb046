"""The cargo REST API (hubs, trips, shipments) under /api/v1/cargo/."""
