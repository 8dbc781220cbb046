"""Serializer helpers every API shares: strict inputs and `parse` (validated data or a 400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare (400, one entry per unknown field) instead of ignoring
    them: a misspelt field ("phon") or a read-only one ("verification_status") is a client bug
    worth reporting."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
        return super().to_internal_value(data)


def parse(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> Any:
    """Validated data of `data` through `serializer_class`, or a 400 in the error envelope."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
