"""The container shell pane: output drained from a buffer in batches, and a prompt for taking over."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Log

from tui.shell_buffer import ShellBuffer
from tui.widgets.shell_log import ShellLog

DRAIN_INTERVAL_S = 0.05  # 20 batches a second: smooth to the eye, cheap under a flood


class ShellPane(Vertical):
    """Shows one run's output; `t` reveals a prompt whose commands go to that run's container."""

    class CommandTyped(Message):
        def __init__(self, command: str) -> None:
            super().__init__()
            self.command = command

    BINDINGS = [Binding("escape", "leave", "Leave the shell", id="leave-shell")]

    def __init__(self, max_lines: int = 5000, **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_lines = max_lines
        self.buffer: ShellBuffer | None = None
        self.seen = 0
        self.lines_written = 0

    def compose(self) -> ComposeResult:
        yield ShellLog(max_lines=self.max_lines, id="shell-log", auto_scroll=True)
        yield Input(
            placeholder="type a command for the container, Enter to send, Esc to leave", id="shell-input"
        )

    def on_mount(self) -> None:
        self.border_title = "Container shell"
        self.set_interval(DRAIN_INTERVAL_S, self.drain)

    @property
    def log_widget(self) -> Log:
        return self.query_one("#shell-log", Log)

    def attach(self, buffer: ShellBuffer | None) -> None:
        """Show another run's output: its recent lines, then whatever it prints next."""
        self.buffer, self.seen = buffer, 0
        self.log_widget.clear()
        self.drain()

    def drain(self) -> None:
        if self.buffer is None:
            return
        batch, self.seen = self.buffer.since(self.seen)
        if batch:
            log = self.log_widget
            # Follow the output only while the person has not scrolled back.
            log.write_lines(batch, scroll_end=log.is_vertical_scroll_end or log.max_scroll_y == 0)
            self.lines_written += len(batch)

    def take_over(self, on: bool) -> None:
        prompt = self.query_one("#shell-input", Input)
        self.set_class(on, "taking-over")
        self.border_subtitle = "you are typing into the container" if on else ""
        if on:
            prompt.focus()
        else:
            prompt.value = ""

    def action_leave(self) -> None:
        if self.has_class("taking-over"):
            self.take_over(False)
            self.app.query_one("#project-table").focus()

    @on(Input.Submitted, "#shell-input")
    def _submitted(self, event: Input.Submitted) -> None:
        command = event.value.strip()
        event.input.value = ""
        if command:
            self.post_message(self.CommandTyped(command))
