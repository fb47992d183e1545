"""The shape of a tool: a name, a pydantic model for its arguments, and a run method."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from engine.test_summary import TestSummary
from engine.tools.workspace import Workspace


class ToolOutcome(BaseModel):
    """What a tool call gives back: the text the model reads, and facts the loop acts on."""

    model_config = ConfigDict(frozen=True)

    text: str
    ok: bool = True
    # Set only by goals_accomplished when the claim was verified.
    accepted: bool = False
    summary: TestSummary | None = None
    test_command: str | None = None


class ToolArgs(BaseModel):
    # Unknown argument names are an error the model should hear about, not silently dropped.
    model_config = ConfigDict(extra="forbid")


class Tool:
    """A tool; subclasses set the class attributes and implement `run`."""

    name: ClassVar[str]
    summary: ClassVar[str]
    Args: ClassVar[type[ToolArgs]]

    def run(self, args: ToolArgs, workspace: Workspace) -> ToolOutcome:
        raise NotImplementedError


def refused(text: str) -> ToolOutcome:
    return ToolOutcome(text=text, ok=False)
