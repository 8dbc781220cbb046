"""Shipment references a person can read out: `MH-` and six characters, none ambiguous.

The alphabet leaves out 0/O, 1/I/L (and U, so no word can be spelt by accident: 30 characters),
so a reference read over the phone or copied by hand is not mistyped. 30**6 = 729 million
references; a collision is retried by the reservation (the column is UNIQUE).
"""

from __future__ import annotations

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
PREFIX = "MH-"


def reference_new() -> str:
    """A fresh random reference such as MH-7K3Q9X (uniqueness is the caller's insert's)."""
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
