"""All tools by name; a call with bad arguments comes back as an error message, never an exception."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from engine.model.action_parsing import describe_validation_error
from engine.sandbox.sandbox import SandboxError
from engine.tools.base import Tool, ToolOutcome, refused
from engine.tools.goals_accomplished import GoalsAccomplished
from engine.tools.linux_terminal import LinuxTerminal
from engine.tools.read_file import ReadFile
from engine.tools.search_docker_image import SearchDockerImage
from engine.tools.workspace import Workspace
from engine.tools.write_to_file import WriteToFile


class ToolRegistry:
    def __init__(self, tools: list[Tool]) -> None:
        self._tools = {tool.name: tool for tool in tools}

    @property
    def names(self) -> list[str]:
        return list(self._tools)

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def describe(self) -> str:
        """One line per tool with its argument names, for the prompt."""
        lines = []
        for tool in self._tools.values():
            fields = tool.Args.model_fields
            args = {
                name: "..." if field.is_required() else f"(optional) {field.default!r}"
                for name, field in fields.items()
            }
            lines.append(f"- {tool.name} {json.dumps(args)}: {tool.summary}")
        return "\n".join(lines)

    def call(self, name: str, args: dict[str, Any], workspace: Workspace) -> ToolOutcome:
        tool = self._tools.get(name)
        if tool is None:
            return refused(f"unknown tool {name!r}; the tools are: {', '.join(self._tools)}")
        try:
            parsed = tool.Args.model_validate(args)
        except ValidationError as error:
            return refused(f"bad arguments for {name}: {describe_validation_error(error)}")
        try:
            return tool.run(parsed, workspace)
        except SandboxError as error:
            return refused(f"{name} failed: {error}")


def default_registry() -> ToolRegistry:
    """The five tools the prompt files describe."""
    return ToolRegistry(
        [LinuxTerminal(), ReadFile(), WriteToFile(), SearchDockerImage(), GoalsAccomplished()]
    )
