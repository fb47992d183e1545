"""A tiny unittest project, scripted model files, and the CLI as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TEST_COMMAND = "python3 -m unittest discover -s tests -v"
TEST_FILE = """import unittest

from calc import add


class AddTest(unittest.TestCase):
    def test_small(self):
        self.assertEqual(add(1, 2), 3)

    def test_zero(self):
        self.assertEqual(add(0, 0), 0)

    def test_negative(self):
        self.assertEqual(add(-1, -1), -2)
"""


def make_project(parent: Path, name: str = "calc") -> Path:
    root = parent / name
    (root / "tests").mkdir(parents=True)
    (root / "calc.py").write_text("def add(a, b):\n    return a + b\n")
    (root / "tests" / "test_calc.py").write_text(TEST_FILE)
    return root


def shell(command: str) -> dict[str, Any]:
    return {"thoughts": f"run {command}", "command": {"name": "linux_terminal", "args": {"command": command}}}


def dockerfile(base_image: str) -> dict[str, Any]:
    text = f"FROM {base_image}\nWORKDIR /app\n"
    return {
        "thoughts": "build",
        "command": {"name": "write_to_file", "args": {"filename": "Dockerfile", "text": text}},
    }


def write_file(name: str, text: str) -> dict[str, Any]:
    return {
        "thoughts": "config",
        "command": {"name": "write_to_file", "args": {"filename": name, "text": text}},
    }


def goals(test_command: str = TEST_COMMAND) -> dict[str, Any]:
    args = {"reason": "tests pass", "test_command": test_command}
    return {"thoughts": "done", "command": {"name": "goals_accomplished", "args": args}}


def successful_script(base_image: str, *middle: dict[str, Any]) -> list[dict[str, Any]]:
    return [shell("ls"), dockerfile(base_image), *middle, shell(TEST_COMMAND), goals()]


def write_script(path: Path, actions: list[Any]) -> Path:
    path.write_text(json.dumps(actions))
    return path


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui.entry", *args]


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    environment = {**os.environ, **(env or {})}
    environment.pop("OPENAI_API_KEY", None) if env is None or "OPENAI_API_KEY" not in env else None
    return subprocess.run(
        cli_command(*args), cwd=ROOT, capture_output=True, text=True, env=environment, timeout=timeout
    )


def run_dirs(workspace: Path) -> list[Path]:
    return sorted(p for p in (workspace / "_run_logs").glob("*/*") if (p / "run.jsonl").exists())
