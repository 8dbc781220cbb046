"""Pricing: versioned per-company rules and the itemised quote engine.

engine/        the quote engine, plain Python (no Django): see engine/__init__.py
errors.py      every pricing error, and the bridge to the API's `invalid`
routes.py      road distances: route providers and the one chosen in settings
examples.py    three full rules documents (docs, demo data, tests)
models.py      PricingConfig (one immutable rules version), InventoryItem (catalogue)
selectors.py   reads: rules versions, the catalogue, who may get a quote
services.py    pricing_config_save, quote_estimate
api/           the REST API; api/serializers.py holds the move-request body bookings reuses
"""
