"""The agent's tools: one module per tool, arguments validated by pydantic, all in one registry."""

from engine.tools.base import Tool, ToolOutcome
from engine.tools.registry import ToolRegistry, default_registry
from engine.tools.workspace import Workspace

__all__ = ["Tool", "ToolOutcome", "ToolRegistry", "Workspace", "default_registry"]
