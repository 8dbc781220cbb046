"""Cargo: hubs, shared-load trips, shipments and route search."""
