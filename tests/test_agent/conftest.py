"""Helpers for agent tests: a tiny project folder and a run driven by a scripted model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from engine.agent import RunRequest, RunResult, run
from engine.control import ControlChannel
from engine.events import EventBus
from engine.model import ScriptedModel

TEST_FILE = """import unittest

from calc import add


class AddTest(unittest.TestCase):
    def test_small(self):
        self.assertEqual(add(1, 2), 3)

    def test_negative(self):
        self.assertEqual(add(-1, -2), -3)

    def test_zero(self):
        self.assertEqual(add(0, 0), 0)
"""


def shell(command: str, thoughts: str = "next step") -> dict[str, Any]:
    return {"thoughts": thoughts, "command": {"name": "linux_terminal", "args": {"command": command}}}


def tool(name: str, **args: Any) -> dict[str, Any]:
    return {"thoughts": f"use {name}", "command": {"name": name, "args": args}}


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    root = tmp_path / "calc"
    (root / "tests").mkdir(parents=True)
    (root / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (root / "tests" / "test_calc.py").write_text(TEST_FILE)
    (root / "README.md").write_text(
        "# calc\n\n## Testing\n\n```\npython3 -m unittest discover -s tests\n```\n"
    )
    return root


class RunHarness:
    """Runs the agent and keeps what a user would look at: the events and the prompts."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.bus = EventBus()
        self.events: list[Any] = []
        self.bus.subscribe(self.events.append)
        self.control = ControlChannel()
        self.model: ScriptedModel | None = None

    def of_type(self, kind: str) -> list[Any]:
        return [event for event in self.events if event.type == kind]

    def prompts(self) -> list[str]:
        """The user message of every action request, in order."""
        assert self.model is not None
        return [messages[-1]["content"] for messages in self.model.received]

    def run(
        self,
        actions: list[Any],
        *,
        texts: list[str] | None = None,
        sandbox_factory: Callable[[str, str], Any] | None = None,
        knowledge: ScriptedModel | None = None,
        **request: Any,
    ) -> RunResult:
        self.model = ScriptedModel(actions, texts=texts)
        request.setdefault("budget", 5)
        request.setdefault("max_retries", 0)
        run_request = RunRequest(project_name="calc", project_path=self.project, **request)
        factory = sandbox_factory or _no_docker
        return run(run_request, self.model, knowledge or self.model, factory, self.bus, self.control)


def _no_docker(run_id: str, project: str) -> Any:
    raise AssertionError("this test must not need a sandbox")


@pytest.fixture
def harness(tiny_project: Path) -> RunHarness:
    return RunHarness(tiny_project)
