"""The one strict input serializer every API uses, and `parse` (validated data or a 400).

Strict means two things:

- Unknown fields are refused (400, one entry per field) instead of ignored: a misspelt field
  ("phon") or a read-only one ("verification_status") is a client bug worth reporting.
- JSON types are not coerced. DRF on its own turns `"name": 1e308` into the string "1e+308",
  `"radius_km": true` into 1.0 and `"is_active": 0` into False. Here, in a JSON body:
  strings must be JSON strings (text, choices, dates and times), booleans JSON booleans,
  integers and floats JSON numbers (never `true`/`false`, never "12"). Decimal fields take a
  decimal string ("12.50", what the API itself renders for money) or a JSON number (12.5).
  Form and query-string inputs (multipart uploads, list filters) are text by nature: the type
  rules apply to JSON bodies only, unknown fields are refused everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.fields import empty

_NUMBER = (int, float)
_EXPECTED_TEXT = "Expected a string."
_EXPECTED_BOOLEAN = "Expected a boolean (true or false)."
_EXPECTED_NUMBER = "Expected a number."
_EXPECTED_DECIMAL = 'Expected a decimal as a string ("12.50") or a number.'

# Field class -> (JSON types it takes, message). Looked up along the field's MRO, so PhoneField
# (a CharField) is text and a custom serializers.Field validates its own input.
_JSON_TYPES: dict[type[serializers.Field], tuple[tuple[type, ...], str]] = {
    serializers.BooleanField: ((bool,), _EXPECTED_BOOLEAN),
    serializers.CharField: ((str,), _EXPECTED_TEXT),
    serializers.ChoiceField: ((str,), _EXPECTED_TEXT),
    serializers.DateField: ((str,), _EXPECTED_TEXT),
    serializers.TimeField: ((str,), _EXPECTED_TEXT),
    serializers.DateTimeField: ((str,), _EXPECTED_TEXT),
    serializers.DurationField: ((str,), _EXPECTED_TEXT),
    serializers.UUIDField: ((str,), _EXPECTED_TEXT),
    serializers.IntegerField: (_NUMBER, _EXPECTED_NUMBER),
    serializers.FloatField: (_NUMBER, _EXPECTED_NUMBER),
    serializers.DecimalField: ((str, *_NUMBER), _EXPECTED_DECIMAL),
}


def _type_rule(field: serializers.Field) -> tuple[tuple[type, ...], str] | None:
    for cls in type(field).__mro__:
        if cls in _JSON_TYPES:
            if cls is serializers.ChoiceField and not all(
                isinstance(key, str)
                for key in field.choices  # type: ignore[attr-defined]  # a ChoiceField here
            ):
                return None  # choices that are not strings: DRF's own check is exact
            return _JSON_TYPES[cls]
    return None


def json_type_error(field: serializers.Field, value: Any) -> Any:
    """The error detail for `value` of the wrong JSON type for `field`, or None when it fits.

    List and dict fields check each item against their child field, reporting by index or key
    as DRF does for them. Nested serializers check themselves (they are StrictSerializers).
    """
    if value is None:
        return None  # null: DRF's allow_null decides
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        errors = {i: e for i, item in enumerate(value) if (e := json_type_error(field.child, item))}
        return errors or None
    if isinstance(field, serializers.DictField) and isinstance(value, dict):
        errors = {k: e for k, item in value.items() if (e := json_type_error(field.child, item))}
        return errors or None
    rule = _type_rule(field)
    if rule is None:
        return None
    types, message = rule
    if isinstance(value, bool) and bool not in types:
        return [message]  # bool is an int in Python: true is not the number 1 here
    if not isinstance(value, types):
        return [message]
    return None


class StrictSerializer(serializers.Serializer):
    """Input serializer: unknown fields refused; JSON types enforced (see the module docstring).

    `ignored_fields` are accepted and dropped without validation: the pagination parameters of
    a list's query string, for a filter serializer of the same query string.
    """

    ignored_fields: ClassVar[frozenset[str]] = frozenset()

    def _is_json_input(self) -> bool:
        root_data = getattr(self.root, "initial_data", empty)
        return not isinstance(root_data, QueryDict)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = sorted(set(data) - set(self.fields) - self.ignored_fields)
            if unknown:
                raise serializers.ValidationError({name: ["Unknown field."] for name in unknown})
            if self._is_json_input():
                errors = {}
                for name, field in self.fields.items():
                    if field.read_only or name not in data:
                        continue
                    error = json_type_error(field, data[name])
                    if error:
                        errors[name] = error
                if errors:
                    raise serializers.ValidationError(errors)
            if self.ignored_fields:
                data = {key: data[key] for key in data if key not in self.ignored_fields}
        return super().to_internal_value(data)


class PageQueryInput(StrictSerializer):
    """Base of a list's filter serializer: the query string may also carry page and page_size."""

    ignored_fields = frozenset({"page", "page_size"})


def parse(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> Any:
    """Validated data of `data` through `serializer_class`, or a 400 `invalid` in the envelope
    whose `details` are DRF's own nested shape (field -> messages)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
