"""What a model sees of a command's output: progress bars collapsed, colours dropped, head + tail kept."""

from __future__ import annotations

import re

ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
DEFAULT_MAX_CHARS = 6000


def strip_ansi(text: str) -> str:
    return ANSI_ESCAPE.sub("", text)


def collapse_carriage_returns(text: str) -> str:
    """Keep only the final state of each line redrawn with \\r (progress bars, spinners)."""
    lines = text.replace("\r\n", "\n").split("\n")
    collapsed = []
    for line in lines:
        if "\r" in line:
            parts = [part for part in line.split("\r") if part]
            line = parts[-1] if parts else ""
        collapsed.append(line)
    return "\n".join(collapsed)


def truncate_middle(text: str, max_chars: int = DEFAULT_MAX_CHARS, head_share: float = 0.4) -> str:
    """Head and tail of `text` within `max_chars`, cut at line boundaries, with a marker between."""
    if len(text) <= max_chars:
        return text
    head_budget = int(max_chars * head_share)
    tail_budget = max_chars - head_budget
    head = text[:head_budget]
    tail = text[-tail_budget:]
    if "\n" in head:
        head = head[: head.rfind("\n") + 1]
    if "\n" in tail:
        tail = tail[tail.find("\n") + 1 :]
    omitted = text[len(head) : len(text) - len(tail)]
    marker = (
        f"[... {omitted.count(chr(10))} lines ({len(omitted)} characters) omitted;"
        " the full output is in the run log ...]\n"
    )
    return head + marker + tail


def digest_for_model(text: str, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    return truncate_middle(collapse_carriage_returns(strip_ansi(text)), max_chars)


class BoundedText:
    """Keeps the first `head_limit` and last `tail_limit` characters of a stream of any size."""

    def __init__(self, head_limit: int = 1_000_000, tail_limit: int = 4_000_000) -> None:
        self._head_limit = head_limit
        self._tail_limit = tail_limit
        self._head: list[str] = []
        self._head_len = 0
        self._tail: list[str] = []
        self._tail_len = 0
        self.dropped = 0
        self.total = 0

    def append(self, chunk: str) -> None:
        self.total += len(chunk)
        room = self._head_limit - self._head_len
        if room > 0:
            self._head.append(chunk[:room])
            self._head_len += min(room, len(chunk))
            chunk = chunk[room:]
        if not chunk:
            return
        self._tail.append(chunk)
        self._tail_len += len(chunk)
        if self._tail_len > 2 * self._tail_limit:
            joined = "".join(self._tail)
            self.dropped += len(joined) - self._tail_limit
            self._tail = [joined[-self._tail_limit :]]
            self._tail_len = self._tail_limit

    def text(self) -> str:
        tail = "".join(self._tail)
        if len(tail) > self._tail_limit:
            self.dropped += len(tail) - self._tail_limit
            tail = tail[-self._tail_limit :]
            self._tail, self._tail_len = [tail], len(tail)
        head = "".join(self._head)
        if self.dropped:
            return f"{head}\n[... {self.dropped} characters dropped from memory ...]\n{tail}"
        return head + tail
