"""Domain errors of the companies app (rendered by apps.core.errors' envelope handler)."""

from __future__ import annotations

from apps.core.errors import Conflict


class AlreadyExists(Conflict):
    """409: a unique thing (registration number, plate, licence, membership) is already taken.

    `details` names the field, as `invalid` does, so a client can show it next to the input.
    """

    code = "already_exists"
    default_message = "That already exists."
