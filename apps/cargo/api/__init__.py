"""The cargo REST API (shared loads) under /api/v1/cargo/."""
