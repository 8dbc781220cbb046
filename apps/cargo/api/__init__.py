"""The cargo REST API (hubs, trips, shipments, route search) under /api/v1/cargo/."""
