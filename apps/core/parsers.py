"""JSON parser that refuses absurdly nested documents and lone surrogates with a 400."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# json.loads turns an escaped surrogate *pair* into one character; any surrogate code point left
# in a string is a lone one, which no UTF-8 text (database, logs, our responses) can carry.
_SURROGATE = re.compile("[\ud800-\udfff]")
LONE_SURROGATE_MESSAGE = "JSON strings must not contain lone surrogates (U+D800 to U+DFFF)."


def json_has_lone_surrogate(value: Any) -> bool:
    """True when any string in `value`, object keys included, holds a lone surrogate."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return True
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """True when containers in `value` nest deeper than `limit` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            if depth > limit:
                return True
            stack.extend((child, depth + 1) for child in node if isinstance(child, dict | list))
    return False


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser plus a nesting limit (settings.API_MAX_JSON_DEPTH) and no lone surrogates
    (`"\\ud800"` is valid JSON syntax but not text: it crashed every later UTF-8 encode)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON is nested too deeply.") from exc
        if json_depth_exceeds(data, settings.API_MAX_JSON_DEPTH):
            raise ParseError("JSON is nested too deeply.")
        if json_has_lone_surrogate(data):
            raise ParseError(LONE_SURROGATE_MESSAGE)
        return data
