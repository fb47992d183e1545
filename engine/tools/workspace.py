"""What the tools share during a run: the host project, the sandbox, and what was observed so far."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from engine.events import SummarySource
from engine.sandbox.persistent_shell import CommandOutcome
from engine.test_parsers import parse_test_output
from engine.test_summary import TestSummary

if TYPE_CHECKING:
    from engine.sandbox.sandbox import Sandbox

SandboxFactory = Callable[[], "Sandbox"]
TextCallback = Callable[[str], None]
SummaryCallback = Callable[[TestSummary, str, SummarySource], None]


def _ignore(*_: object) -> None:
    return None


@dataclass
class ObservedRun:
    """A command whose output held a test summary."""

    command: str
    summary: TestSummary


@dataclass
class Workspace:
    """Shared by all tools of one run; the sandbox is created only when first needed."""

    project_dir: Path
    project_name: str
    sandbox_factory: SandboxFactory | None = None
    threshold: float = 0.8
    command_timeout_s: float = 1800.0
    stuck_after_s: float = 300.0
    build_timeout_s: float = 3600.0
    on_output: TextCallback = _ignore
    on_build_log: TextCallback = _ignore
    on_test_summary: SummaryCallback = _ignore
    # The command waiting on WAIT / TERMINATE / WRITE, if any.
    stuck_command: str | None = None
    # Commands that got stuck and never finished: running them again is refused.
    stuck_before: set[str] = field(default_factory=set)
    observed: list[ObservedRun] = field(default_factory=list)
    dockerfile: str | None = None
    accepted_test_command: str | None = None
    _sandbox: Sandbox | None = None

    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            if self.sandbox_factory is None:
                raise RuntimeError("this run has no sandbox factory")
            self._sandbox = self.sandbox_factory()
        return self._sandbox

    @property
    def has_sandbox(self) -> bool:
        return self._sandbox is not None

    @property
    def container_running(self) -> bool:
        return self._sandbox is not None and self._sandbox.shell is not None

    def run_in_container(self, command: str, source: SummarySource = "command") -> CommandOutcome:
        """Run a command in the persistent shell, streaming its output and noting test summaries."""
        outcome = self.sandbox.run(
            command,
            timeout=self.command_timeout_s,
            stuck_after=self.stuck_after_s,
            on_output=self.on_output,
        )
        self.observe(command, outcome, source)
        return outcome

    def observe(
        self, command: str, outcome: CommandOutcome, source: SummarySource = "command"
    ) -> TestSummary | None:
        """Remember the test counts a command printed, if it printed any."""
        if outcome.status == "stuck":
            return None
        summary = parse_test_output(outcome.output)
        if summary is not None:
            self.observed.append(ObservedRun(command=command, summary=summary))
            self.on_test_summary(summary, command, source)
        return summary

    def new_attempt(self) -> None:
        """A new attempt starts from scratch: no container, nothing observed."""
        if self._sandbox is not None:
            self._sandbox.remove_container()
        self.stuck_command = None
        self.observed = []
        self.dockerfile = None

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()
