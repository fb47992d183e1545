"""Errors a Model raises to the agent loop."""

from __future__ import annotations

from collections.abc import Iterable

from engine.model.action import Usage

_MAX_MESSAGE_CHARS = 300


class ModelError(Exception):
    """Base of every error raised by the model layer."""


class ModelFormatError(ModelError):
    """The model kept producing output that is not a valid action."""

    def __init__(self, reason: str, last_raw: str, attempts: int, usage: Usage | None = None) -> None:
        self.reason = reason
        self.last_raw = last_raw
        self.attempts = attempts
        # The rejected replies were still paid for; budgets need to see them.
        self.usage = usage
        super().__init__(f"model reply was not a valid action after {attempts} attempt(s): {reason}")


class ModelUnavailable(ModelError):
    """The model could not be reached or refused us (connection, auth, retries exhausted)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class ModelGaveUp(ModelError):
    """The model has no further action for this attempt (the offline planner ran out of ideas)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def one_line(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Collapse text to one short line and blank out any secret in it."""
    for secret in secrets:
        # A 1-3 char placeholder key ("x") would blank out ordinary letters, not a secret.
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    flat = " ".join(text.split())
    if len(flat) > _MAX_MESSAGE_CHARS:
        flat = flat[: _MAX_MESSAGE_CHARS - 3] + "..."
    return flat
