"""Reading the one JSON object a knowledge-model reply should hold, tolerating prose around it."""

from __future__ import annotations

import json
from typing import Any


def json_object_in(text: str) -> dict[str, Any] | None:
    """The first JSON object found in the text (bare, fenced or embedded), or None."""
    decoder = json.JSONDecoder()
    start = text.find("{")
    while start != -1:
        try:
            value, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        if isinstance(value, dict):
            return value
        start = text.find("{", start + 1)
    return None
