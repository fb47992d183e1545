"""What the agent loop sees of a model: one interface, several implementations."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict

from engine.model.action import AgentAction, Usage
from engine.model.errors import ModelError, ModelFormatError, ModelUnavailable

Message = dict[str, Any]

__all__ = [
    "Message",
    "Model",
    "ModelError",
    "ModelFormatError",
    "ModelTurn",
    "ModelUnavailable",
    "TextTurn",
]


class ModelTurn(BaseModel):
    """A valid action and what it took to get it."""

    model_config = ConfigDict(frozen=True)

    action: AgentAction
    # The reply the action was read from (message content or tool-call arguments).
    raw_text: str
    # Summed over every attempt, including rejected ones: they were paid for too.
    usage: Usage
    # How many model replies were needed (1 when the first one was valid).
    attempts: int = 1


class TextTurn(BaseModel):
    """A free-text reply, e.g. a summary written by the knowledge model."""

    model_config = ConfigDict(frozen=True)

    text: str
    usage: Usage


@runtime_checkable
class Model(Protocol):
    """Anything that can pick the agent's next action from a chat transcript."""

    name: str

    def next_action(self, messages: list[Message]) -> ModelTurn:
        """Return the next action; raise ModelFormatError or ModelUnavailable."""
        ...

    def complete_text(self, messages: list[Message]) -> TextTurn:
        """Return a free-text reply; raise ModelUnavailable."""
        ...
