"""The tool calls of a run as steps, and which of them a reproduction needs."""

from __future__ import annotations

import shlex
from typing import Any

from pydantic import BaseModel, Field

# Commands that only look around: a reproduction does not need them.
INSPECTION_PROGRAMS = {
    "ls", "cat", "pwd", "echo", "head", "tail", "grep", "find", "which", "tree", "wc", "file",
    "stat", "du", "df", "env", "printenv", "whoami", "uname", "id", "type", "history", "true",
}  # fmt: skip
STUCK_ANSWERS = ("WAIT", "TERMINATE")


class Step(BaseModel):
    attempt: int
    cycle: int
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool = False
    duration_s: float = 0.0

    @property
    def command(self) -> str:
        return str(self.args.get("command", "")).strip()

    @property
    def is_dockerfile(self) -> bool:
        name = str(self.args.get("filename", "")).strip()
        return self.tool == "write_to_file" and name.rsplit("/", 1)[-1] == "Dockerfile"

    @property
    def is_container_command(self) -> bool:
        command = self.command
        return (
            self.tool == "linux_terminal"
            and bool(command)
            and command not in STUCK_ANSWERS
            and not command.startswith("WRITE:")
        )


def container_steps(steps: list[Step], attempt: int) -> list[Step]:
    """The attempt's steps that ran in its last container (after its last Dockerfile was built)."""
    mine = [s for s in steps if s.attempt == attempt]
    starts = [i for i, s in enumerate(mine) if s.is_dockerfile and s.ok]
    return mine[starts[-1] + 1 :] if starts else []


def is_inspection(command: str) -> bool:
    try:
        words = shlex.split(command)
    except ValueError:
        return False
    if not words or any(sep in command for sep in ("&&", "||", ";", "|", ">", "<", "$(")):
        return False
    return words[0].rsplit("/", 1)[-1] in INSPECTION_PROGRAMS


def reproduction_steps(steps: list[Step], attempt: int, test_command: str | None) -> list[Step]:
    """Commands that succeeded and changed something, and files written in the container."""
    kept = []
    for step in container_steps(steps, attempt):
        if not step.ok:
            continue
        if step.tool == "write_to_file":
            kept.append(step)
        elif step.is_container_command and not is_inspection(step.command):
            if test_command and step.command == test_command.strip():
                continue  # run once, at the end
            kept.append(step)
    return kept
