"""JSON parser that refuses absurdly nested documents with a 400 instead of crashing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


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
    """DRF's JSON parser plus a nesting limit (settings.API_MAX_JSON_DEPTH)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON is nested too deeply.") from exc
        if json_depth_exceeds(data, settings.API_MAX_JSON_DEPTH):
            raise ParseError("JSON is nested too deeply.")
        return data
