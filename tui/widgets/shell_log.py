"""The shell pane's Log: the widest line is found in one pass on the UI thread, not by a worker per write.

Textual's Log measures every new line in a thread worker (control-code substitution and cell width per
line). Under a flood that is a new thread twenty times a second competing with the UI for the GIL; for
plain ASCII output the width is just the longest line, found with C-level calls.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.geometry import Size
from textual.widgets import Log

# Any control character (tab, escape, bell...) makes cell width differ from length: measure like Log then.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


def widest(lines: list[str]) -> int:
    """The cell width of the widest line, as Log would measure it."""
    if not lines:
        return 0
    joined = "\n".join(lines)
    if joined.isascii() and CONTROL.search(joined) is None:
        return max(map(len, lines))
    return max(cell_len(Log._process_line(line)) for line in lines)


class ShellLog(Log):
    def _update_size(self, updates: int, lines: list[str]) -> None:  # replaces Log's threaded worker
        width = widest(lines)
        if updates == self._updates and width > self._width:
            self._width = width
            self.virtual_size = Size(self._width, self.line_count)
