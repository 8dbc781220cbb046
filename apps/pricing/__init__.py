"""Pricing: versioned per-company rules and the itemised quote engine."""
