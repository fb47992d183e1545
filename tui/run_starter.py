"""How the TUI starts a run: one blocking call made in a worker thread, events go to the bus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from engine.control import ControlChannel
from engine.events import EventBus
from tui.project_entry import ProjectEntry

RunDirCallback = Callable[[Path], None]


class RunStarter(Protocol):
    """Starts runs for the TUI; the real one wraps `engine.run_launcher`, tests use a scripted one."""

    def start(
        self, project: ProjectEntry, bus: EventBus, control: ControlChannel, on_run_dir: RunDirCallback
    ) -> None:
        """Run `project` to the end (blocking, called off the UI thread), emitting events on `bus`.

        `on_run_dir` is called once the run's record folder exists; a run that cannot start raises.
        """
        ...

    def cleanup(self) -> None:
        """Remove containers of runs that are still open (called when the app quits)."""
        ...
