"""The cycle stream: a block per cycle, attempt and control action; follows the newest unless scrolled up."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.run_view import StreamEntry

KIND_STYLE = {
    "attempt": "bold cyan",
    "cycle": "bold",
    "control": "bold magenta",
    "tests": "bold green",
    "finish": "bold yellow",
    "error": "bold red",
}


def render_entry(entry: StreamEntry) -> Text:
    text = Text(entry.title, style=KIND_STYLE.get(entry.kind, ""))
    for line in entry.lines:
        text.append("\n")
        if line.startswith("$ "):
            text.append(line, style="bold blue")
        elif line.startswith("thinks: "):
            text.append(line, style="italic")
        elif line == "failed" or line.startswith("unreadable"):
            text.append(line, style="red")
        else:
            text.append(line, style="dim" if line.startswith("  ") else "")
    return text


class CycleStream(VerticalScroll):
    """Shows the stream entries of the displayed run."""

    def on_mount(self) -> None:
        self.border_title = "Cycles"
        self.generation = 0  # widget ids carry it, so a new run's entries never clash with the old

    def show(self, entries: list[StreamEntry]) -> None:
        """Replace everything (the displayed run changed)."""
        self.remove_children()
        self.generation += 1
        self.mount_all([self._widget(e) for e in entries])
        self.call_after_refresh(self.scroll_end, animate=False)

    def upsert(self, entry: StreamEntry) -> None:
        """Add or redraw one entry, staying at the bottom only if the person had not scrolled up."""
        follow = self.is_vertical_scroll_end or self.max_scroll_y == 0
        existing = self.query(f"#{self._entry_id(entry)}")
        if existing:
            existing.first(Static).update(render_entry(entry))
        else:
            self.mount(self._widget(entry))
        if follow:
            self.call_after_refresh(self.scroll_end, animate=False)

    def _entry_id(self, entry: StreamEntry) -> str:
        return f"entry-{self.generation}-{entry.key}"

    def _widget(self, entry: StreamEntry) -> Static:
        return Static(render_entry(entry), id=self._entry_id(entry), classes=f"entry entry-{entry.kind}")
