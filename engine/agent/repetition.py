"""Notices when the agent repeats one command, or goes round a short cycle of commands."""

from __future__ import annotations

import json
from typing import Any

SAME_COMMAND_LIMIT = 3
CYCLE_LENGTHS = (2, 3)


def command_key(name: str, args: dict[str, Any]) -> str:
    return f"{name} {json.dumps(args, sort_keys=True, default=str)}"


def repetition_warning(keys: list[str]) -> str | None:
    """A warning for the model when the latest commands repeat, else None."""
    if len(keys) >= SAME_COMMAND_LIMIT and len(set(keys[-SAME_COMMAND_LIMIT:])) == 1:
        return (
            f"Warning: you ran the same command {SAME_COMMAND_LIMIT} times in a row ({_short(keys[-1])})."
            " It will not give a different result; change your approach."
        )
    for length in CYCLE_LENGTHS:
        window = keys[-2 * length :]
        if len(window) == 2 * length and window[:length] == window[length:] and len(set(window)) > 1:
            loop = " -> ".join(_short(key) for key in window[:length])
            return (
                f"Warning: your last {2 * length} commands went round the same loop twice ({loop})."
                " Step back, name the cause of the failure, and try something different."
            )
    return None


def _short(key: str, limit: int = 80) -> str:
    return key if len(key) <= limit else key[: limit - 3] + "..."
