"""The API's documented input limits, in one place: serializers and the pricing engine import them.

Plain Python (no Django): the pricing engine is Django-free and checks the same numbers.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# Free text
MAX_ADDRESS_LENGTH = 300
MAX_NOTES_LENGTH = 2_000
MAX_ITEM_NAME_LENGTH = 64  # an inventory line's `item`: a catalogue code or the customer's name

# A move's inventory
MIN_QUANTITY = 1
MAX_QUANTITY = 500  # units on one inventory line
MAX_INVENTORY_LINES = 200

# Volumes in cubic metres: (0, 200], at most 3 decimals (litres)
VOLUME_DECIMAL_PLACES = 3
MIN_VOLUME_M3 = Decimal("0.001")  # the smallest volume above 0 at 3 decimals
MAX_VOLUME_M3 = Decimal(200)

# Weights in kilograms: (0, 40,000]
MAX_WEIGHT_KG = Decimal(40_000)

# Each end of a move
MAX_STAIRS_FLIGHTS = 30  # flights of stairs without a usable lift, per end
MAX_CARRY_M = 500  # truck-to-door carrying distance in metres, per end

# Calendar dates and times the API takes: any real move, trip or document falls inside, and
# the last day stays far from Python's date.max (9999-12-31), so the day's arithmetic (the next
# midnight, a +-14 h offset, a TTL) never overflows into a 500.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2999, 12, 31)

# Insurance documents
COVERAGE_DECIMAL_PLACES = 2
MAX_COVERAGE_DIGITS = 14  # up to 999,999,999,999.99 (the column's precision)
