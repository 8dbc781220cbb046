"""The quote engine: plain Python (no Django, database, clock or network), one entry point.

    values.py      the move, the quoting context, line items and the result (MoveSpec, ...)
    document.py    base model and field types of a rules document
    rules.py       the rules document (PricingRules) and `rules_parse`
    surcharges.py  the surcharge and discount rule types, registered by `type`
    catalogue.py   the default inventory catalogue (item code -> label, m3)
    compute.py     `quote_compute`: rules + move + distance + context -> an itemised quote

Errors are in apps.pricing.errors; the Django side (rules versions, route providers, the
estimate service, the API) sits beside this package in apps.pricing.
"""

from apps.pricing.engine.compute import inventory_volume, quote_compute

__all__ = ["inventory_volume", "quote_compute"]
