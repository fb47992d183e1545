"""Engine events into Textual messages: the engine thread posts, the UI thread folds them in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.message import Message

from engine.events import BuildLogLine, Event, OutputChunk
from tui.run_view import RunView


class RunEvent(Message):
    """One engine event of the run of `project` (posted from the engine thread)."""

    def __init__(self, project: str, event: Event) -> None:
        super().__init__()
        self.project = project
        self.event = event


class RunDirKnown(Message):
    """The run's record folder exists (posted from the worker before the run's first event)."""

    def __init__(self, project: str, path: Path) -> None:
        super().__init__()
        self.project = project
        self.path = path


class RunEnded(Message):
    """The worker of `project` returned; `error` is set when the run raised instead."""

    def __init__(self, project: str, error: str | None = None) -> None:
        super().__init__()
        self.project = project
        self.error = error


def subscriber_for(view: RunView, post: Callable[[Message], object]) -> Callable[[Event], None]:
    """The bus subscriber of one run: output goes to its buffer (drained on a timer), the rest is posted.

    Output never becomes a message, so a flood of it cannot fill the UI's message queue.
    """
    project = view.project.name

    def on_event(event: Event) -> None:
        if isinstance(event, OutputChunk):
            view.shell.append(event.text)
        elif isinstance(event, BuildLogLine):
            view.shell.append_line(event.line)
        else:
            post(RunEvent(project, event))

    return on_event
