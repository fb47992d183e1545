"""The JSON contract every model must produce, and what one reply cost."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Command(BaseModel):
    """The tool the agent wants to run next, with its arguments."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1)
    # Lenient on input: many models omit "args" for tools that take none.
    args: dict[str, Any] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        stripped = value.strip()
        if not stripped:
            raise ValueError("must name a tool")
        return stripped


class AgentAction(BaseModel):
    """One decision of the agent: `{"thoughts": str, "command": {"name": str, "args": dict}}`."""

    model_config = ConfigDict(frozen=True)

    thoughts: str
    command: Command


def action_json_schema() -> dict[str, Any]:
    """The AgentAction schema written out flat, because some servers reject `$ref` in tools."""
    return {
        "type": "object",
        "properties": {
            "thoughts": {
                "type": "string",
                "description": "What the last result tells you and why this action is next.",
            },
            "command": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "The tool to run."},
                    "args": {"type": "object", "description": "Arguments of that tool."},
                },
                "required": ["name", "args"],
            },
        },
        "required": ["thoughts", "command"],
    }


class Usage(BaseModel):
    """Tokens and money spent on one model reply (or a sum of replies)."""

    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    # True when the tokens were counted offline instead of reported by the API.
    estimated: bool = False
    # False when the model has no known price, so cost_usd is 0 for lack of data, not free.
    cost_known: bool = True

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def plus(self, other: Usage) -> Usage:
        """Sum two usages; the result is estimated/unknown if either part is."""
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            estimated=self.estimated or other.estimated,
            cost_known=self.cost_known and other.cost_known,
        )
