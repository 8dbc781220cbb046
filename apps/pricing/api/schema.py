"""The rules document's OpenAPI 3.0 schema, generated from the pydantic models (one source).

pydantic writes JSON Schema 2020-12; OpenAPI 3.0 (what drf-spectacular emits) is an older
dialect, so the schema is translated: `$defs` references inlined, `const` -> a one-value
`enum`, a `{"type": "null"}` alternative -> `nullable`, numeric `exclusiveMinimum` -> the 3.0
boolean form, and keywords 3.0 lacks (`patternProperties`, `propertyNames`, `discriminator`)
dropped. The server validates with pydantic itself; this schema documents it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from apps.pricing.engine.rules import PricingRules

_DROPPED = frozenset({"$defs", "patternProperties", "propertyNames", "discriminator", "examples"})


def _convert(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_convert(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        resolved = _convert(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
        return {**resolved, **{k: _convert(v, defs) for k, v in node.items() if k != "$ref"}}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROPPED:
            continue
        if key == "const":
            out["enum"] = [value]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and not isinstance(value, bool):
            out["minimum" if key == "exclusiveMinimum" else "maximum"] = value
            out[key] = True
        elif key == "anyOf":
            options = [option for option in value if option != {"type": "null"}]
            if len(options) < len(value):
                out["nullable"] = True
            if len(options) == 1:
                out.update(_convert(options[0], defs))
            else:
                out["anyOf"] = _convert(options, defs)
        else:
            out[key] = _convert(value, defs)
    return out


@cache
def pricing_rules_openapi_schema() -> dict[str, Any]:
    """The OpenAPI 3.0 schema of a rules document (request body of PUT .../pricing/)."""
    schema = PricingRules.model_json_schema(mode="validation")
    converted = _convert(schema, schema.get("$defs", {}))
    converted["description"] = (
        "A pricing rules document (docs/pricing.md). Decimals may be JSON numbers or strings; "
        "strings keep their exact value."
    )
    return converted
