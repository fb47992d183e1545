"""Offline token counts for servers that report no usage (no tokenizer files needed)."""

from __future__ import annotations

import json
import math
from typing import Any

# Roughly what chat templates add per message (role markers, separators).
_PER_MESSAGE_OVERHEAD = 4


def estimate_tokens(text: str) -> int:
    """About four characters per token for English and code; good enough for budgets."""
    return math.ceil(len(text) / 4) if text else 0


def estimate_prompt_tokens(messages: list[dict[str, Any]], extra: object = None) -> int:
    """Estimate the prompt size of a chat request; `extra` is e.g. the tools schema sent along."""
    total = 0
    for message in messages:
        content = message.get("content")
        text = content if isinstance(content, str) else json.dumps(content, default=str)
        total += estimate_tokens(text) + _PER_MESSAGE_OVERHEAD
    if extra is not None:
        total += estimate_tokens(json.dumps(extra, default=str))
    return total
