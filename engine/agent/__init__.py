"""The agent: a small loop of model actions and tool calls, with attempts, summaries and a forced exit."""

from engine.agent.loop import Agent
from engine.agent.request import RunRequest, RunResult
from engine.agent.run import SandboxFactory, run

__all__ = ["Agent", "RunRequest", "RunResult", "SandboxFactory", "run"]
