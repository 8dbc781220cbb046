"""Rendering an error can never fail, whatever client text it quotes."""

from __future__ import annotations

import json

from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer

from apps.core.errors import api_exception_handler, error_body


def test_a_validation_error_quoting_a_lone_surrogate_renders_it_escaped():
    response = api_exception_handler(ValidationError({"\ud800": ["Unknown field \udfff."]}), {})

    rendered = JSONRenderer().render(response.data)

    assert response.status_code == 400
    assert json.loads(rendered) == {
        "error": {
            "code": "invalid",
            "message": "The request is invalid.",
            "details": {"\\ud800": ["Unknown field \\udfff."]},
        }
    }


def test_error_body_keeps_ordinary_text_as_it_is():
    assert error_body("invalid", "Prix « net » 🚚", {"name": ["é"]}) == {
        "error": {"code": "invalid", "message": "Prix « net » 🚚", "details": {"name": ["é"]}}
    }
