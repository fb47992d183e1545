"""Container output between the engine thread and the shell pane: appended fast, drained in batches."""

from __future__ import annotations

import threading
import time
from collections import deque
from itertools import islice

# A thread that floods the buffer holds the GIL for the whole switch interval each time the UI thread
# wakes up; giving it up every so many lines lets keystrokes and frames through (measured in
# bench/tui_flood.py at 1M lines/s: worst key-to-screen 70 ms with no yield, 47-49 ms every 1000 lines,
# 43-48 ms every 250).
YIELD_EVERY_LINES = 250


class ShellBuffer:
    """The last `capacity` lines of a run's output, plus a count of all lines ever appended.

    The engine thread appends; the UI asks for what it has not shown yet. A reader that fell more than
    `capacity` lines behind gets only the newest `capacity` (the full output is in the run directory).
    """

    def __init__(self, capacity: int = 5000) -> None:
        self.capacity = capacity
        self._lines: deque[str] = deque(maxlen=capacity)
        self._partial = ""
        self._total = 0
        self._unyielded = 0  # lines appended since the appending thread last gave up the GIL
        self._lock = threading.Lock()

    def append(self, text: str) -> None:
        """Add raw output; a last line without a newline waits for the rest of it."""
        if not text:
            return
        if "\r" in text:  # rare (progress bars, CRLF): only then is per-line work needed
            text = "\n".join(piece.rstrip("\r") for piece in text.split("\n"))
        with self._lock:
            pieces = (self._partial + text).split("\n")
            self._partial = pieces.pop()
            self._lines.extend(pieces)
            self._total += len(pieces)
            self._unyielded += len(pieces)
            give_way = self._unyielded >= YIELD_EVERY_LINES
            if give_way:
                self._unyielded = 0
        if give_way:
            time.sleep(0)  # releases the GIL: the UI thread, if waiting, runs now instead of in 5 ms

    def append_line(self, line: str) -> None:
        with self._lock:
            self._lines.append(line)
            self._total += 1

    @property
    def total(self) -> int:
        with self._lock:
            return self._total

    def since(self, seen: int) -> tuple[list[str], int]:
        """Lines appended after the first `seen` (at most `capacity`), and the new count seen."""
        with self._lock:
            new = min(self._total - seen, len(self._lines))
            if new <= 0:
                return [], self._total
            # Walk from the newest end so a small batch costs little even when the buffer is full.
            return list(islice(reversed(self._lines), new))[::-1], self._total
