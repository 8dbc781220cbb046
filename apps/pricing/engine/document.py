"""Base model and field types of a pricing rules document (shared by rules and rule types)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from apps.core.error_details import Loc

# A cross-field problem: (location relative to the model that found it, message).
RuleErrors = list[tuple[Loc, str]]

Price = Annotated[Decimal, Field(ge=0, le=1_000_000, decimal_places=4)]
PositivePrice = Annotated[Decimal, Field(gt=0, le=1_000_000, decimal_places=4)]
Multiplier = Annotated[Decimal, Field(gt=1, le=10, decimal_places=4)]
Percent = Annotated[Decimal, Field(gt=0, le=100, decimal_places=4)]
Kilometres = Annotated[Decimal, Field(ge=0, le=40_000, decimal_places=3)]
Metres = Annotated[Decimal, Field(ge=0, le=1_000, decimal_places=2)]
ItemCode = Annotated[str, Field(pattern=r"^[a-z0-9_]{1,64}$")]


class DocumentModel(BaseModel):
    """Base of every model of the rules document: unknown keys refused, immutable once parsed."""

    model_config = ConfigDict(extra="forbid", frozen=True)
